//! A job's life after Generate: sent (again only after a 429, which means it was not accepted), then followed by
//! push when the proxy offers it, by polling otherwise or when the push stream breaks, until it ends. It works on a
//! take's signal; what a take is, and keeping it, is `takes`'.

use futures::future::{select, Either, FutureExt, LocalBoxFuture};
use futures::{stream, StreamExt};
use gloo_net::eventsource::futures::EventSource;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use zonos_api::{JobStatus, JobStatusResponse, SubmitAnswer, RECONNECT_EVENT, STATUS_EVENT};

use studio_core::follower::{Follower, Next};
use studio_core::submit::{after_failure, AfterFailure};

use crate::gateway::{Calls, Gateway};
use crate::platform::time::now_ms;
use studio_core::take::{Delivery, Phase, Take};

/// What to do with a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drive {
    /// Send it, then follow it.
    Send,
    /// Follow a job a reload found running.
    Resume,
    /// Follow again a job the page had given up on.
    CheckAgain,
}

crate::parts::later! { part studio:
    /// Sending and following: in the studio part, with the panels below the form, which always travel together
    /// (both come once the page is ready; the first Generate needs this).
    pub fn driver(take: RwSignal<Take>, gateway: Gateway, poll_seconds: u32, drive: Drive) -> LocalBoxFuture<'static, ()> {
        match drive {
            Drive::Send => run(take, gateway, poll_seconds).boxed_local(),
            Drive::Resume => resume(take, gateway, poll_seconds).boxed_local(),
            Drive::CheckAgain => check_again(take, gateway, poll_seconds).boxed_local(),
        }
    }
    preload preload_driver
}

/// Does `drive` with the job, once the code that does it is here; if it can't be fetched, the job says so and waits
/// for the person (nothing was sent).
pub async fn drive(take: RwSignal<Take>, gateway: Gateway, poll_seconds: u32, drive: Drive) {
    match driver(take, gateway, poll_seconds, drive).await {
        Ok(driving) => driving.await,
        Err(unloaded) => take.update(|take| {
            take.phase = if drive == Drive::Send { Phase::Refused } else { Phase::GaveUp };
            take.problem = Some(unloaded.message().to_owned());
        }),
    }
}

/// Whether the job is still being followed by the page (the person may have stopped it meanwhile, or deleted it).
fn following(take: RwSignal<Take>) -> bool {
    take.try_with_untracked(|take| take.phase == Phase::Following).unwrap_or(false)
}

/// Resolves once the job is no longer followed: heard from its signal, not found by waking up to look.
async fn no_longer_followed(take: RwSignal<Take>) {
    let (told, heard) = futures::channel::oneshot::channel::<()>();
    let mut told = Some(told);
    // The watch has an owner of its own, dropped with this future: it goes however this ends.
    let owner = Owner::new();
    owner.with(|| {
        Effect::new(move |_| {
            if !take.try_with(|take| take.phase == Phase::Following).unwrap_or(false) {
                if let Some(told) = told.take() {
                    let _ = told.send(());
                }
            }
        })
    });
    let _ = heard.await;
}

/// Sends the job's request and follows it to its end.
async fn run(take: RwSignal<Take>, gateway: Gateway, poll_seconds: u32) {
    let request = take.with_untracked(|take| take.request.clone());
    let mut resends = 0;
    loop {
        // A fresh start: a take sent again forgets its earlier attempt.
        take.update(|take| {
            take.phase = Phase::Sending;
            take.sent_ms = now_ms();
            take.stages.clear();
            take.ended_ms = None;
            take.output = None;
            take.request_id = None;
            take.status_url = None;
            take.delivery = None;
        });
        let error = match gateway.submit(&request).await {
            Ok(SubmitAnswer::Accepted(accepted)) => {
                let status_url = gateway.polling_url(&accepted);
                let events_url = gateway.events_url(&accepted.request_id);
                take.update(|take| {
                    take.phase = Phase::Following;
                    take.problem = None;
                    take.notice = None;
                    take.request_id = Some(accepted.request_id.clone());
                    take.status_url = Some(status_url);
                    take.record(accepted.status, now_ms());
                });
                return follow(take, gateway, poll_seconds, events_url).await;
            }
            Ok(SubmitAnswer::Finished(status)) => return finish(take, status, Delivery::AtOnce),
            Ok(SubmitAnswer::Immediate(output)) => {
                return take.update(|take| {
                    take.output = Some(output);
                    take.delivery = Some(Delivery::AtOnce);
                    take.record(JobStatus::Completed, now_ms());
                })
            }
            Err(error) => error,
        };
        let (phase, why) = match after_failure(&error, resends) {
            AfterFailure::SendAgainIn { seconds, why } => {
                resends += 1;
                take.update(|take| {
                    take.phase = Phase::WaitingToResend;
                    take.problem = Some(why);
                });
                TimeoutFuture::new(seconds.saturating_mul(1000)).await;
                // The person may have stopped it meanwhile: then it is not sent.
                if take.with_untracked(|take| take.phase != Phase::WaitingToResend) {
                    return;
                }
                continue;
            }
            AfterFailure::Uncertain(why) => (Phase::Uncertain, why),
            AfterFailure::Refused(why) => (Phase::Refused, why),
        };
        return take.update(|take| {
            take.phase = phase;
            take.problem = Some(why);
        });
    }
}

/// Follows a job a reload found running, without sending anything again.
async fn resume(take: RwSignal<Take>, gateway: Gateway, poll_seconds: u32) {
    let events_url = take.with_untracked(|take| take.request_id.as_deref().and_then(|id| gateway.events_url(id)));
    follow(take, gateway, poll_seconds, events_url).await;
}

/// Follows again a job the page had given up on.
async fn check_again(take: RwSignal<Take>, gateway: Gateway, poll_seconds: u32) {
    take.update(|take| {
        take.phase = Phase::Following;
        take.problem = None;
    });
    poll(take, gateway, poll_seconds).await;
}

/// How many push streams may be open at once. Over HTTP/1.1 a browser keeps six connections per host: the rest
/// must stay free for submissions, status calls and audio.
const MAX_STREAMS: u32 = 3;
/// How long a push stream is waited on before polling takes over: a webhook that never comes must not leave the job
/// followed by nothing.
const STREAM_PATIENCE_MS: u32 = 120_000;

thread_local! {
    static OPEN_STREAMS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// One of the push streams open now; its place is given back when it goes, however its follower ends.
struct StreamPlace;

impl StreamPlace {
    fn take() -> Option<StreamPlace> {
        OPEN_STREAMS.with(|open| (open.get() < MAX_STREAMS).then(|| open.set(open.get() + 1))).map(|()| StreamPlace)
    }
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        OPEN_STREAMS.with(|open| open.set(open.get() - 1));
    }
}

async fn follow(take: RwSignal<Take>, gateway: Gateway, poll_seconds: u32, events_url: Option<String>) {
    if let Some((url, _place)) = events_url.and_then(|url| Some((url, StreamPlace::take()?))) {
        match final_status_pushed(&url, take).await {
            Pushed::Status(status) => return finish(take, status, Delivery::Events),
            Pushed::Stopped => return,
            // The stream broke: polling takes over, and the job goes on.
            Pushed::Broken => {}
        }
    }
    poll(take, gateway, poll_seconds).await;
}

async fn poll(take: RwSignal<Take>, gateway: Gateway, poll_seconds: u32) {
    let known = take.with_untracked(|take| take.request_id.clone().map(|id| (id, take.status_url.clone())));
    let Some((request_id, status_url)) = known else { return };
    let url = gateway.polling_url_of(status_url.as_deref(), &request_id);
    let mut follower = Follower::new(poll_seconds, now_ms());
    let mut pause = follower.first_pause();
    loop {
        TimeoutFuture::new(pause).await;
        if !following(take) {
            return;
        }
        let outcome = gateway.status(&url).await;
        if !following(take) {
            return;
        }
        if let Ok(status) = &outcome {
            take.update(|take| take.record(status.status, now_ms()));
        }
        match follower.next(outcome, now_ms()) {
            Next::PollIn { ms, notice } => {
                take.update(|take| take.notice = notice);
                pause = ms;
            }
            Next::Finished(status) => return finish(take, *status, Delivery::Polling),
            Next::GiveUp(reason) => {
                take.update(|take| {
                    take.phase = Phase::GaveUp;
                    take.notice = None;
                    take.problem = Some(reason);
                });
                return;
            }
        }
    }
}

fn finish(take: RwSignal<Take>, status: JobStatusResponse, delivery: Delivery) {
    take.update(|take| {
        take.delivery = Some(delivery);
        take.notice = None;
        take.problem = match status.status {
            JobStatus::Failed => {
                Some(format!("The job failed: {}", status.error.as_deref().unwrap_or("no reason given")))
            }
            JobStatus::Error => Some(format!(
                "A system error stopped the job; it was not charged. {}",
                status.error.as_deref().unwrap_or_default()
            )),
            _ => None,
        };
        take.output = status.output;
        take.record(status.status, now_ms());
    });
}

enum Pushed {
    Status(JobStatusResponse),
    Broken,
    Stopped,
}

/// Waits on the proxy's push stream for the final status, until it comes, the stream breaks (or the server says it
/// is stopping), or the person stops following the job.
async fn final_status_pushed(url: &str, take: RwSignal<Take>) -> Pushed {
    let Ok(mut source) = EventSource::new(url) else { return Pushed::Broken };
    let (Ok(statuses), Ok(reconnects)) = (source.subscribe(STATUS_EVENT), source.subscribe(RECONNECT_EVENT)) else {
        return Pushed::Broken;
    };
    let mut events = stream::select(statuses, reconnects);
    // The first event, or error, says it all: a status, or else polling takes over.
    let pushed = async move {
        match events.next().await {
            Some(Ok((kind, message))) if kind == STATUS_EVENT => {
                match message.data().as_string().map(|data| JobStatusResponse::parse(&data)) {
                    Some(Ok(status)) if status.status.is_final() => Pushed::Status(status),
                    _ => Pushed::Broken,
                }
            }
            _ => Pushed::Broken,
        }
    };
    let stopped = async move {
        let patience = TimeoutFuture::new(STREAM_PATIENCE_MS);
        match select(Box::pin(no_longer_followed(take)), patience).await {
            Either::Left(_) => Pushed::Stopped,
            Either::Right(_) => Pushed::Broken,
        }
    };
    let outcome = select(Box::pin(pushed), Box::pin(stopped)).await.factor_first().0;
    source.close();
    outcome
}
