//! The call, written out in each of the docs' four forms.

use serde_json::Value;
use zonos_api::{GenerateRequest, API_KEY_HEADER, GENERATE_PATH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Http,
    Curl,
    Python,
    JavaScript,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Http, Format::Curl, Format::Python, Format::JavaScript];

    pub fn key(self) -> &'static str {
        match self {
            Format::Http => "http",
            Format::Curl => "curl",
            Format::Python => "python",
            Format::JavaScript => "javascript",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Http => "HTTP",
            Format::Curl => "cURL",
            Format::Python => "Python (requests)",
            Format::JavaScript => "JavaScript (fetch)",
        }
    }

    pub fn from_key(key: &str) -> Format {
        Format::ALL.into_iter().find(|format| format.key() == key).unwrap_or(Format::Curl)
    }
}

/// The body exactly as the app sends it, laid out as the docs lay it out.
fn body(request: &GenerateRequest) -> Value {
    serde_json::to_value(request).expect("a request serializes")
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON serializes")
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(index, line)| if index == 0 { line.to_owned() } else { format!("{by}{line}") })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A JSON value as a Python literal: `True`, `False`, `None` (the docs' own Python writes JSON's `true`, which
/// Python does not know).
fn python(value: &Value, depth: usize) -> String {
    let pad = "    ".repeat(depth + 1);
    let end = "    ".repeat(depth);
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => serde_json::to_string(text).expect("a string serializes"),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|item| format!("{pad}{}", python(item, depth + 1))).collect();
            format!("[\n{}\n{end}]", items.join(",\n"))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(key, value)| {
                    format!("{pad}{}: {}", serde_json::to_string(key).expect("a key"), python(value, depth + 1))
                })
                .collect();
            format!("{{\n{}\n{end}}}", fields.join(",\n"))
        }
    }
}

/// The call to `gateway_url` with this request and the (masked) key.
pub fn render(format: Format, request: &GenerateRequest, gateway_url: &str, key: &str) -> String {
    let url = format!("{}{GENERATE_PATH}", gateway_url.trim_end_matches('/'));
    let body = body(request);
    match format {
        Format::Http => format!(
            "POST {url}\nContent-Type: application/json\nCache-Control: no-cache\n{API_KEY_HEADER}: {key}\n\n{}",
            pretty(&body)
        ),
        Format::Curl => format!(
            "curl -X POST \"{url}\" \\\n  -H \"Content-Type: application/json\" \\\n  -H \"Cache-Control: no-cache\" \\\n  -H \"{API_KEY_HEADER}: {key}\" \\\n  --data-raw '{}'",
            indent(&pretty(&body), "  ").replace('\'', "'\\''")
        ),
        Format::Python => format!(
            "import requests\n\nurl = \"{url}\"\nheaders = {{\n    \"Content-Type\": \"application/json\",\n    \"Cache-Control\": \"no-cache\",\n    \"{API_KEY_HEADER}\": \"{key}\"\n}}\ndata = {}\n\nresponse = requests.post(url, json=data, headers=headers)\nprint(response.json())",
            python(&body, 0)
        ),
        Format::JavaScript => format!(
            "const url = \"{url}\";\nconst headers = {{\n  \"Content-Type\": \"application/json\",\n  \"Cache-Control\": \"no-cache\",\n  \"{API_KEY_HEADER}\": \"{key}\"\n}};\nconst data = {};\n\nfetch(url, {{\n  method: \"POST\",\n  headers: headers,\n  body: JSON.stringify(data)\n}})\n.then(response => response.json())\n.then(data => console.log(data));",
            pretty(&body)
        ),
    }
}
