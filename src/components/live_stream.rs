//! A count kept current from the server, live: the machinery behind the agent's alerts of new
//! evaluations and the staff's notification bell.
//!
//! [`keep_live`] asks for the count, then listens to the server's event stream
//! (`EventSource`, which reconnects by itself); when the stream fails repeatedly, or the
//! browser has none, it polls the count every 30 seconds instead. It starts while its
//! condition holds (someone of the right role is signed in), stops when it no longer does,
//! and when its owner is unmounted.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{EventSource, EventSourceInit, MessageEvent};

/// How often the fallback asks for the count.
pub const POLL_INTERVAL: Duration = Duration::from_secs(30);
/// Stream errors in a row after which polling takes over.
pub const MAX_STREAM_ERRORS: u32 = 3;

/// An answer to come.
pub type Pending<T> = Pin<Box<dyn Future<Output = T>>>;

/// Where a count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountFrom {
    /// The first count, once the stream is open.
    First,
    /// The polling fallback.
    Poll,
}

/// What a live count listens to, and whom it tells.
#[derive(Clone)]
pub struct LiveFeed {
    /// The name of the stream's events.
    pub event_name: &'static str,
    /// The stream's address.
    pub url: fn() -> Pending<String>,
    /// The count now; `None` when the request failed.
    pub count: fn() -> Pending<Option<u64>>,
    /// Told each event's data (JSON).
    pub on_event: Rc<dyn Fn(&str)>,
    /// Told each count asked for.
    pub on_count: Rc<dyn Fn(u64, CountFrom)>,
}

/// State a live feed keeps current: told each event of the stream and each count asked for.
pub trait LiveState: Copy + 'static {
    /// An event's data.
    type Event: serde::de::DeserializeOwned;
    /// An event of the stream.
    fn receive(self, event: Self::Event);
    /// The first count (`CountFrom::First`) or a polled one.
    fn counted(self, count: u64, from: CountFrom);
}

impl LiveFeed {
    /// The feed of `state`: events named `event_name` at `url`, the count from `count`.
    pub fn of<S: LiveState>(
        state: S,
        event_name: &'static str,
        url: fn() -> Pending<String>,
        count: fn() -> Pending<Option<u64>>,
    ) -> LiveFeed {
        LiveFeed {
            event_name,
            url,
            count,
            on_event: Rc::new(move |data| {
                if let Ok(event) = serde_json::from_str::<S::Event>(data) {
                    state.receive(event);
                }
            }),
            on_count: Rc::new(move |count, from| state.counted(count, from)),
        }
    }
}

/// What to do after an error of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterError {
    /// Let the browser reconnect.
    Reconnect,
    /// Give the stream up and poll.
    Poll,
}

/// After `errors_in_a_row` errors with the stream in `ready_state`: a stream the browser has
/// closed for good (an error answer) or one failing again and again gives way to polling.
pub fn after_error(errors_in_a_row: u32, ready_state: u16) -> AfterError {
    if ready_state == EventSource::CLOSED || errors_in_a_row >= MAX_STREAM_ERRORS {
        AfterError::Poll
    } else {
        AfterError::Reconnect
    }
}

/// Keeps `feed` live while `wanted` holds; `on_stop` runs each time it stops being wanted.
/// Stops when the calling component is unmounted.
pub fn keep_live(
    feed: LiveFeed,
    wanted: impl Fn() -> bool + 'static,
    on_stop: impl Fn() + 'static,
) {
    let connection = Connection {
        feed: StoredValue::new_local(feed),
        live: StoredValue::new_local(Live::Idle),
        generation: StoredValue::new(0),
    };
    Effect::new(move || {
        let wanted = wanted();
        if wanted && !connection.running() {
            connection.start();
        } else if !wanted && connection.running() {
            connection.stop();
            on_stop();
        }
    });
    on_cleanup(move || connection.stop());
}

/// An open stream with its handlers; closed when dropped.
struct Stream {
    source: EventSource,
    _on_event: Closure<dyn FnMut(MessageEvent)>,
    _on_open: Closure<dyn FnMut()>,
    _on_error: Closure<dyn FnMut()>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// The polling fallback; stops when dropped.
struct Polling(IntervalHandle);

impl Drop for Polling {
    fn drop(&mut self) {
        self.0.clear();
    }
}

/// How the count is being kept current.
enum Live {
    Idle,
    Starting,
    /// Held for its `Drop`, which closes the stream.
    Streaming {
        _stream: Stream,
    },
    /// Held for its `Drop`, which stops the polling.
    Polling {
        _interval: Polling,
    },
}

/// One live count's connection.
#[derive(Clone, Copy)]
struct Connection {
    feed: StoredValue<LiveFeed, LocalStorage>,
    live: StoredValue<Live, LocalStorage>,
    /// Bumped by every start and stop, so a late answer of an older start changes nothing.
    generation: StoredValue<u64>,
}

impl Connection {
    fn running(self) -> bool {
        self.live.with_value(|l| !matches!(l, Live::Idle))
    }

    fn stop(self) {
        self.generation.try_update_value(|g| *g += 1);
        // Dropping the stream or the interval closes it.
        self.live.try_set_value(Live::Idle);
    }

    fn start(self) {
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        self.live.set_value(Live::Starting);
        let feed = self.feed.get_value();
        spawn_local(async move {
            // The stream first, so that nothing that happens while the count loads is missed.
            let url = (feed.url)().await;
            if !self.current(generation) {
                return;
            }
            match self.open_stream(&feed, &url, generation) {
                Ok(stream) => self.live.set_value(Live::Streaming { _stream: stream }),
                Err(_) => {
                    self.poll(generation);
                    return;
                }
            }
            if let Some(count) = (feed.count)().await
                && self.current(generation)
            {
                (feed.on_count)(count, CountFrom::First);
            }
        });
    }

    fn current(self, generation: u64) -> bool {
        !self.live.is_disposed() && self.generation.get_value() == generation
    }

    fn open_stream(self, feed: &LiveFeed, url: &str, generation: u64) -> Result<Stream, JsValue> {
        let init = EventSourceInit::new();
        init.set_with_credentials(true);
        let source = EventSource::new_with_event_source_init_dict(url, &init)?;
        let errors = Rc::new(Cell::new(0u32));
        let on_event = {
            let errors = Rc::clone(&errors);
            let told = Rc::clone(&feed.on_event);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                errors.set(0);
                if let Some(data) = event.data().as_string() {
                    told(&data);
                }
            })
        };
        source
            .add_event_listener_with_callback(feed.event_name, on_event.as_ref().unchecked_ref())?;
        let on_open = {
            let errors = Rc::clone(&errors);
            Closure::<dyn FnMut()>::new(move || errors.set(0))
        };
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let on_error = {
            let source = source.clone();
            Closure::<dyn FnMut()>::new(move || {
                errors.set(errors.get() + 1);
                if after_error(errors.get(), source.ready_state()) == AfterError::Poll {
                    // Not from inside the handler, which giving the stream up drops.
                    set_timeout(
                        move || {
                            if self.current(generation) {
                                self.poll(generation);
                            }
                        },
                        Duration::ZERO,
                    );
                }
            })
        };
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Stream {
            source,
            _on_event: on_event,
            _on_open: on_open,
            _on_error: on_error,
        })
    }

    fn poll(self, generation: u64) {
        let feed = self.feed.get_value();
        let ask = move || {
            let feed = feed.clone();
            spawn_local(async move {
                if let Some(count) = (feed.count)().await
                    && self.current(generation)
                {
                    (feed.on_count)(count, CountFrom::Poll);
                }
            });
        };
        match set_interval_with_handle(ask.clone(), POLL_INTERVAL) {
            Ok(handle) => {
                self.live.set_value(Live::Polling {
                    _interval: Polling(handle),
                });
                ask();
            }
            Err(_) => self.live.set_value(Live::Idle),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_closed_or_repeatedly_failing_stream_gives_way_to_polling() {
        assert_eq!(
            after_error(1, EventSource::CONNECTING),
            AfterError::Reconnect
        );
        assert_eq!(
            after_error(2, EventSource::CONNECTING),
            AfterError::Reconnect
        );
        assert_eq!(after_error(3, EventSource::CONNECTING), AfterError::Poll);
        assert_eq!(after_error(1, EventSource::CLOSED), AfterError::Poll);
    }
}
