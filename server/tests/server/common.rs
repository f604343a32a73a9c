//! What the integration tests share: a fresh app on its own temporary database and dist dir.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, Response};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use pingjia_server::state::AppState;
use pingjia_server::time::Clock;
use pingjia_server::web::Web;
use pingjia_server::{app, db};
use tempfile::TempDir;
use tower::ServiceExt;

/// The built app's page, as Trunk writes it with `create_nonce = true`.
pub const INDEX_HTML: &str = r#"<!DOCTYPE html><html><head><script type="module" nonce="{{__TRUNK NONCE__}}">import init from '/pingjia-1a2b3c4d5e6f7a8b.js';init('/pingjia-1a2b3c4d5e6f7a8b_bg.wasm');</script><link rel="modulepreload" href="/pingjia-1a2b3c4d5e6f7a8b.js" nonce="{{__TRUNK NONCE__}}"></head><body></body></html>"#;

/// An application on a database and a dist directory of its own, removed on drop.
pub struct TestApp {
    pub state: AppState,
    /// Removed with the app.
    _dir: TempDir,
}

impl TestApp {
    /// A fresh database and a dist directory holding a small built app.
    pub async fn new() -> TestApp {
        TestApp::with(true, false).await
    }

    /// `built`: whether the dist directory has the app; `https`: whether HSTS is sent.
    pub async fn with(built: bool, https: bool) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        if built {
            write_dist(&dist);
        }
        let pool = db::open(&dir.path().join("data/test.db")).await.unwrap();
        let state = AppState::new(pool, Web::load(dist, https));
        TestApp { state, _dir: dir }
    }

    pub fn at(mut self, now: DateTime<Utc>) -> TestApp {
        self.state.clock = Clock::Fixed(now);
        self
    }

    pub async fn request(&self, request: Request<Body>) -> Response<Body> {
        app(self.state.clone()).oneshot(request).await.unwrap()
    }

    pub async fn get(&self, uri: &str) -> Response<Body> {
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }
}

fn write_dist(dist: &Path) {
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(
        dist.join("pingjia-1a2b3c4d5e6f7a8b.js"),
        "export default function init() {}\n".repeat(20),
    )
    .unwrap();
    std::fs::write(
        dist.join("main-0123456789abcdef.css"),
        "body { margin: 0 }\n",
    )
    .unwrap();
    std::fs::write(dist.join("config.json"), r#"{"api_base":"/api/v1"}"#).unwrap();
    std::fs::create_dir_all(dist.join("vendor")).unwrap();
    std::fs::write(dist.join("vendor/echarts.min.js"), "/* echarts */\n").unwrap();
}

pub fn header<'a>(response: &'a Response<Body>, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

pub async fn body_text(response: Response<Body>) -> String {
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}

pub async fn body_json(response: Response<Body>) -> serde_json::Value {
    serde_json::from_str(&body_text(response).await).unwrap()
}
