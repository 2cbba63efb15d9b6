//! The docs' code examples, kept verbatim in `zonos-api/tests/examples/`, run against the sandbox with only the
//! host changed, and get the documented responses.

mod common;

use std::net::SocketAddr;
use std::process::Output;

use common::*;
use zonos_api::{JobStatus, JobStatusResponse, SubmitAccepted};

const DOCS_HOST: &str = "https://gateway.pixazo.ai";

fn with_host(example: &str, addr: SocketAddr) -> String {
    assert!(example.contains(DOCS_HOST), "the example calls the documented gateway");
    example.replace(DOCS_HOST, &format!("http://{addr}"))
}

async fn run(program: &str, args: &[&str], script: &str) -> Output {
    let mut command = tokio::process::Command::new(program);
    command.args(args).arg(script);
    let output = command.output().await.unwrap_or_else(|error| panic!("{program} runs: {error}"));
    output
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[tokio::test]
async fn the_curl_examples_submit_and_poll() {
    let addr = start(None).await;
    let submit = with_host(include_str!("../../zonos-api/tests/examples/request.sh"), addr);
    let accepted: SubmitAccepted = serde_json::from_str(&stdout(&run("bash", &["-c"], &submit).await)).unwrap();
    assert_eq!(accepted.status, JobStatus::Queued);
    assert!(zonos_api::is_request_id(&accepted.request_id));

    let status = with_host(include_str!("../../zonos-api/tests/examples/status.sh"), addr)
        .replace("zonos-2_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", &accepted.request_id);
    let status: JobStatusResponse = serde_json::from_str(&stdout(&run("bash", &["-c"], &status).await)).unwrap();
    assert_eq!(status.request_id, accepted.request_id);
    assert_eq!(status.model_id.as_deref(), Some("zonos-2"));
}

/// The docs' Python writes JSON's `true` and `false` inside a Python dict, so as printed it stops with a NameError
/// before sending anything. Defining those two names is the only change needed, and the rest runs as written.
#[tokio::test]
async fn the_python_example_submits_once_its_json_literals_are_defined() {
    let addr = start(None).await;
    let example = with_host(include_str!("../../zonos-api/tests/examples/request.py"), addr);
    let verbatim = run("python3", &["-c"], &example).await;
    assert!(String::from_utf8_lossy(&verbatim.stderr).contains("NameError: name 'true' is not defined"));
    assert_eq!(stats(addr).await.submissions_received, 0);

    let printed = stdout(&run("python3", &["-c"], &format!("true, false = True, False\n{example}")).await);
    assert!(printed.contains("'status': 'QUEUED'") && printed.contains("'request_id': 'zonos-2_"), "{printed}");
    assert!(printed.contains(&format!("'polling_url': 'http://{addr}/v2/requests/status/zonos-2_")), "{printed}");
    assert_eq!(stats(addr).await.submissions_accepted, 1);
}

#[tokio::test]
async fn the_javascript_example_submits() {
    let addr = start(None).await;
    let example = with_host(include_str!("../../zonos-api/tests/examples/request.js"), addr);
    let printed = stdout(&run("node", &["-e"], &example).await);
    assert!(printed.contains("status: 'QUEUED'") && printed.contains("request_id: 'zonos-2_"), "{printed}");
    assert_eq!(stats(addr).await.submissions_accepted, 1);
}
