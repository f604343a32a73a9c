//! The admins' stop words, left out of the word cloud.

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::analytics::{NewStopWord, StopWord};

use crate::db::begin_write;
use crate::db::lexicons::{STOP_WORDS, Word};
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::state::AppState;
use crate::services::analytics::is_builtin_stop_word;
use crate::services::audit::{self, Action, Actor, Entry};

/// The stop words admins added.
///
/// Besides the built-in lists (`server/data/stopwords-*.txt`), alphabetical.
#[utoipa::path(
    get,
    path = "/analytics/stop-words",
    tag = "analytics",
    operation_id = "list_stop_words",
    responses((status = 200, description = "The words", body = [StopWord]))
)]
pub(super) async fn list_stop_words(
    State(state): State<AppState>,
) -> Result<Json<Vec<StopWord>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let words = STOP_WORDS.words(&mut conn).await?;
    Ok(Json(
        words
            .into_iter()
            .map(Word::into_stop_word)
            .collect::<Result<_, _>>()?,
    ))
}

/// Leave a word out of the word cloud.
///
/// Trimmed and lower-cased; takes effect at once. Audited (`stop_word.added`).
#[utoipa::path(
    post,
    path = "/analytics/stop-words",
    tag = "analytics",
    operation_id = "add_stop_word",
    request_body = NewStopWord,
    responses(
        (status = 201, description = "Added", body = StopWord),
        (status = 400, description = "The body is malformed"),
        (status = 409, description = "The word is already a stop word (`stop_word_exists`)"),
        (status = 422, description = "Blank, too long, several words or built in"),
    )
)]
pub(super) async fn add_stop_word(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<NewStopWord>,
) -> Result<(StatusCode, Json<StopWord>), AppError> {
    let word = body.check().map_err(AppError::Validation)?;
    if is_builtin_stop_word(&word) {
        return Err(AppError::field(
            "word",
            "builtin",
            format!("{word:?} is already in the built-in list"),
        ));
    }
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    if !STOP_WORDS.add(&mut tx, &word, caller.id, now).await? {
        return Err(Coded::conflict(
            "stop_word_exists",
            format!("{word:?} is already a stop word"),
        )
        .into());
    }
    let entry = Entry::new(now, Action::StopWordAdded)
        .by(Actor::user(&caller, ip))
        .on("stop_word", &word);
    audit::record(&mut *tx, &entry).await?;
    let added = STOP_WORDS.word(&mut tx, &word).await?.into_stop_word()?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Let a word back into the word cloud.
///
/// The word as listed (percent-encoded in the path). Audited (`stop_word.removed`).
#[utoipa::path(
    delete,
    path = "/analytics/stop-words/{word}",
    tag = "analytics",
    operation_id = "remove_stop_word",
    params(("word" = String, Path, description = "The word, e.g. `%E9%9D%9E%E5%B8%B8` (非常)")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such stop word"),
    )
)]
pub(super) async fn remove_stop_word(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(word): Path<String>,
) -> Result<StatusCode, AppError> {
    let word = word.trim().to_lowercase();
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let Some(removed) = STOP_WORDS.remove(&mut tx, &word).await? else {
        return Err(AppError::NotFound(format!("The stop word {word:?}")));
    };
    let entry = Entry::new(now, Action::StopWordRemoved)
        .by(Actor::user(&caller, ip))
        .on("stop_word", &removed);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
