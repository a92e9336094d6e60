//! What the formatters print for a paginated call (botocore's `PageIterator`, the CLI's default for
//! operations with a paginator unless `--no-paginate` or a manual page token turns it off).
//!
//! JSON and table print one merged document (`build_full_result`): the result key's lists of all
//! pages concatenated, pages without the key skipped (so all-empty pages give `{}`, which JSON prints
//! as nothing), the output token dropped, and `NextToken` (the encoded resume token) appended when
//! `--max-items` stopped early. `--query` is applied once to that document. Text instead prints each
//! page on its own as `{result_key: page[result_key]}` (a page without the key shows `None`), with
//! `--query` applied to every page separately, then `{"NextToken": {"NextToken": token}}` if there
//! is a resume token. Lightsail's paginators have one result key and no non-aggregate keys, which
//! is all this supports.

use crate::python::value::{Map, Value};

/// `PageIterator.build_full_result()` for a single result key (pages already shaped).
pub fn full_result(pages: &[Value], result_key: &str, resume_token: Option<&str>) -> Value {
    let mut complete = Map::new();
    for page in pages {
        let Some(value) = page.as_object().and_then(|p| p.get(result_key)) else {
            continue;
        };
        match (complete.get_mut(result_key), value) {
            (_, Value::Null) => {}
            (None, value) => {
                complete.insert(result_key.to_string(), value.clone());
            }
            (Some(Value::Array(existing)), Value::Array(more)) => {
                existing.extend(more.iter().cloned())
            }
            (Some(existing), value) => {
                if let (Value::String(a), Value::String(b)) = (&*existing, value) {
                    *existing = Value::String(format!("{a}{b}"));
                }
            }
        }
    }
    if let Some(token) = resume_token {
        complete.insert("NextToken".into(), Value::String(token.to_string()));
    }
    Value::Object(complete)
}

/// The documents the text formatter prints, in order, for a paginated call; `--query` is applied
/// to each, and each goes through the text formatter on its own.
pub fn text_page_documents(
    pages: &[Value],
    result_key: &str,
    resume_token: Option<&str>,
) -> Vec<Value> {
    let mut documents = Vec::with_capacity(pages.len() + 1);
    for page in pages {
        let data = page
            .as_object()
            .and_then(|p| p.get(result_key))
            .cloned()
            .unwrap_or(Value::Null);
        let mut current = Map::new();
        current.insert(result_key.to_string(), data);
        documents.push(Value::Object(current));
    }
    if let Some(token) = resume_token {
        let mut inner = Map::new();
        inner.insert("NextToken".into(), Value::String(token.to_string()));
        let mut outer = Map::new();
        outer.insert("NextToken".into(), Value::Object(inner));
        documents.push(Value::Object(outer));
    }
    documents
}
