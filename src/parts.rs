//! Parts of the app that load when first needed, so that a first visit downloads only what is on screen at first.
//! Built with `--cfg zonos_split` (as `cargo xtask` builds the release app; see `xtask/src/app_build/wasm.rs`), each
//! function declared with [`later!`] is a split point; otherwise it is an ordinary function. Either way it is async
//! and may fail with [`Unloaded`]: a part can't be fetched with the network down, and the page must say so, not stop.

use leptos::prelude::*;

/// A part of the app could not be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unloaded;

impl Unloaded {
    pub fn message(self) -> &'static str {
        "Part of this page could not be loaded: the network may be down."
    }
}

/// Where a part that could not be fetched would stand: says so, and "Try again" asks for it again (by changing
/// `attempt`, which the view that loads the part reads).
#[component]
pub fn Unavailable(attempt: RwSignal<u32>) -> impl IntoView {
    view! {
        <div class="problem" role="alert">
            <p>{Unloaded.message()}</p>
            <button type="button" on:click=move |_| attempt.update(|count| *count += 1)>"Try again"</button>
        </div>
    }
}

/// A part's view where it stands: `load` fetches the part and makes its view (again at each "Try again", which
/// changes `attempt`), and a part that can't be fetched says so in its place.
pub fn part_view<Load, Loading>(
    attempt: RwSignal<u32>,
    load: Load,
) -> impl Fn() -> Suspend<AnyView> + Clone + Send + Sync + 'static
where
    Load: Fn() -> Loading + Clone + Send + Sync + 'static,
    Loading: std::future::Future<Output = Result<AnyView, Unloaded>> + Send + 'static,
{
    move || {
        attempt.track();
        let loading = load();
        Suspend::new(async move { loading.await.unwrap_or_else(|_| view! { <Unavailable attempt /> }.into_any()) })
    }
}

/// The style of the views only parts draw (the presenter view, blind rounds, variations): kept out of the page's
/// inline style, which every first load carries. Each of those views puts it on the page.
#[component]
pub fn RoomStyle() -> impl IntoView {
    view! { <style>{include_str!("../style/room.css")}</style> }
}

#[cfg(zonos_split)]
impl From<leptos::wasm_split::SplitLoaderError> for Unloaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Unloaded {
        Unloaded
    }
}

/// `later! { part part_name: /// docs
///     pub fn name(arguments) -> Output { body } preload preload_name }`
/// declares `async fn name(arguments) -> Result<Output, Unloaded>`, in the part `part_name` when split (functions
/// naming the same part load together), and, if `preload preload_name` is there, `async fn preload_name()`, which
/// fetches the part ahead of the first call.
macro_rules! later {
    (part $part:ident: $(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $output:ty $body:block
     $(preload $preload:ident)?) => {
        #[cfg(zonos_split)]
        $(#[$attr])*
        #[::leptos::wasm_split::wasm_split(
            $part, wasm_split_path = ::leptos::wasm_split, fallible $(, preload($preload))?
        )]
        $vis fn $name($($arg: $ty),*) -> ::std::result::Result<$output, $crate::parts::Unloaded> {
            Ok($body)
        }

        #[cfg(not(zonos_split))]
        $(#[$attr])*
        $vis async fn $name($($arg: $ty),*) -> ::std::result::Result<$output, $crate::parts::Unloaded> {
            Ok($body)
        }

        $(
            #[cfg(not(zonos_split))]
            $vis async fn $preload() -> ::std::result::Result<(), $crate::parts::Unloaded> {
                Ok(())
            }
        )?
    };
}
pub(crate) use later;
