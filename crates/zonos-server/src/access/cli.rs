//! `zonos-server access …`: codes and invites made, listed and revoked, and the spend log read. A command runs on
//! the store itself; or, while a server holds the embedded store (only one process may open it), by that server,
//! over a Unix socket in its data directory ([`CONTROL_SOCKET`], for its owner only): the command goes as one line
//! of JSON, its output comes back.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use zonos_api::JOIN_PATH_PREFIX;

use super::codes::Grant;
use super::{usage, AccessError};
use crate::store::{now_secs, Budget, Store};

/// The socket a server listens on in its data directory, for the commands of `zonos-server access`.
pub const CONTROL_SOCKET: &str = "control.sock";

#[derive(Debug, Clone, PartialEq, clap::Subcommand, Serialize, Deserialize)]
pub enum AccessCommand {
    /// Make a code for NAME and print it (once: only its hash is kept).
    Add {
        name: String,
        /// How long the code works (7d, 12h, …) [default: until revoked].
        #[arg(long, value_parser = humantime::parse_duration)]
        expires: Option<Duration>,
        #[command(flatten)]
        budget: BudgetFlags,
        /// They may read the spend log in the page, and revoke people there.
        #[arg(long)]
        admin: bool,
    },
    /// Make an invite link for NAME and print it (once): whoever opens it signs in as NAME, as many times as it has
    /// uses, until it expires.
    Invite {
        name: String,
        /// How many sign-ins it gives.
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        uses: u32,
        /// How long it works.
        #[arg(long, value_parser = humantime::parse_duration, default_value = "7d")]
        expires: Duration,
        /// The studio's address as people open it (its --public-url), to print the whole link.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        #[command(flatten)]
        budget: BudgetFlags,
    },
    /// List the codes and invites (names, ids, expiry, uses; never a code).
    List,
    /// Revoke NAME: their codes and invites stop working, and their sessions end, on every replica.
    Revoke { name: String },
    /// Print the spend log by day and person: the submissions sent upstream, how they ended, their audio's length.
    Usage {
        /// How far back.
        #[arg(long, value_parser = humantime::parse_duration, default_value = "7d")]
        since: Duration,
        /// As CSV, with a header line.
        #[arg(long)]
        csv: bool,
    },
}

/// What a code's holder may send.
#[derive(Debug, Clone, PartialEq, clap::Args, Serialize, Deserialize)]
pub struct BudgetFlags {
    /// Submissions they may send a day (UTC) [default: no limit but the server's --daily-cap].
    #[arg(long, value_name = "N")]
    budget: Option<u32>,
    /// Submissions they may send in all [default: no limit].
    #[arg(long, value_name = "N")]
    total: Option<u32>,
}

impl From<BudgetFlags> for Budget {
    fn from(flags: BudgetFlags) -> Budget {
        Budget { daily: flags.budget, in_all: flags.total }
    }
}

fn unix_after(lifetime: Duration) -> u64 {
    now_secs() + lifetime.as_secs()
}

fn date(at: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + Duration::from_secs(at)).to_string()
}

impl AccessCommand {
    /// Runs the command on `store`; its output.
    pub async fn run(self, store: &Store) -> Result<String, AccessError> {
        Ok(match self {
            AccessCommand::Add { name, expires, budget, admin } => {
                let grant = Grant { expires_at: expires.map(unix_after), budget: budget.into(), uses: None, admin };
                let code = super::add_code(store, &name, grant).await?;
                format!("{name}'s access code (shown once): {code}\n")
            }
            AccessCommand::Invite { name, uses, expires, url, budget } => {
                let expires_at = Some(unix_after(expires));
                let grant = Grant { expires_at, budget: budget.into(), uses: Some(uses), admin: false };
                let code = super::add_code(store, &name, grant).await?;
                let studio = url.as_deref().map_or("<the studio's address>", |url| url.trim_end_matches('/'));
                format!("An invite for {name}, {uses} use(s), shown once: {studio}{JOIN_PATH_PREFIX}{code}\n")
            }
            AccessCommand::List => {
                let mut listed = String::new();
                for code in super::list_codes(store).await? {
                    let expiry = code.expires_at.map_or("never".to_owned(), date);
                    let limit = |limit: Option<u32>| limit.map_or("no limit".to_owned(), |limit| limit.to_string());
                    let (daily, in_all) = (limit(code.budget.daily), limit(code.budget.in_all));
                    let admin = if code.admin { "  admin" } else { "" };
                    let uses = match code.uses {
                        Some(uses) => {
                            let used = store.code_uses(&code.id).await?;
                            format!("  invite, {} of {uses} use(s) left", uses.saturating_sub(used))
                        }
                        None => String::new(),
                    };
                    listed += &format!(
                        "{}  code {}…  expires {expiry}  budget {daily} a day, {in_all} in all{uses}{admin}\n",
                        code.name, code.id
                    );
                }
                listed
            }
            AccessCommand::Revoke { name } => {
                let count = super::revoke(store, &name).await?;
                format!("revoked {name}: {count} code(s) and invite(s), and every session\n")
            }
            AccessCommand::Usage { since, csv } => {
                let rows = usage::by_day(&store.spends_since(now_secs().saturating_sub(since.as_secs())).await?);
                if csv {
                    usage::csv(&rows)
                } else {
                    usage::table(&rows)
                }
            }
        })
    }
}

/// The most a command's line may weigh: a name and a few flags.
const LONGEST_COMMAND: u64 = 16 * 1024;

/// What the server answers on the socket.
#[derive(Serialize, Deserialize)]
enum Answer {
    Done(String),
    Failed(String),
}

/// Answers `access` commands on the data directory's socket while `store` is open (a socket left by a server that
/// stopped is replaced). Once the store has closed, a command is answered with nothing: the CLI then opens it.
pub fn listen(data_dir: &Path, store: &Store) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let path = data_dir.join(CONTROL_SOCKET);
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    let store = store.downgrade();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            // The server let its store go: the command is for the store itself now, and the socket's next owner.
            let Some(store) = store.upgrade() else { break };
            tokio::spawn(answer(stream, store));
        }
    });
    Ok(())
}

/// Runs the one command `stream` sends, and answers.
async fn answer(stream: UnixStream, store: Store) {
    let (reading, mut writing) = stream.into_split();
    let mut line = String::new();
    if BufReader::new(reading.take(LONGEST_COMMAND)).read_line(&mut line).await.is_err() {
        return;
    }
    let answer = match serde_json::from_str::<AccessCommand>(&line) {
        Ok(command) => command.run(&store).await.map_or_else(|error| Answer::Failed(error.to_string()), Answer::Done),
        Err(error) => Answer::Failed(format!("not a command: {error}")),
    };
    let answer = serde_json::to_string(&answer).expect("an answer serializes");
    let _ = writing.write_all(answer.as_bytes()).await;
}

/// Has the server holding the store in `data_dir` run `command`, if one does and answers: its output, or why it
/// failed.
pub async fn ask(data_dir: &Path, command: &AccessCommand) -> Option<Result<String, String>> {
    let mut stream = UnixStream::connect(data_dir.join(CONTROL_SOCKET)).await.ok()?;
    let line = serde_json::to_string(command).expect("a command serializes") + "\n";
    stream.write_all(line.as_bytes()).await.ok()?;
    let mut answer = String::new();
    // A command takes a moment (one Argon2 hash at most); a server that says nothing for long is stuck.
    match tokio::time::timeout(ANSWER_WITHIN, stream.read_to_string(&mut answer)).await {
        Ok(read) => read.ok()?,
        Err(_) => return Some(Err(format!("no answer within {} s", ANSWER_WITHIN.as_secs()))),
    };
    match serde_json::from_str(&answer).ok()? {
        Answer::Done(output) => Some(Ok(output)),
        Answer::Failed(why) => Some(Err(why)),
    }
}

/// How long the CLI waits for the server's answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);
