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
//!
//! Pages are taken by value: the merged result moves every page's items into one list ([`FullResult`])
//! and a text page gives up its result list to the document printed for it, so a listing of thousands
//! of resources is held once, never copied.

use crate::python::value::{Map, Value};

/// `PageIterator.build_full_result()`, one page at a time: each page's result is moved in.
#[derive(Debug)]
pub struct FullResult<'k> {
    result_key: &'k str,
    merged: Option<Value>,
}

impl<'k> FullResult<'k> {
    pub fn new(result_key: &'k str) -> FullResult<'k> {
        FullResult {
            result_key,
            merged: None,
        }
    }

    /// Adds a shaped page: its result list is appended to the merged one (a page without the key, or
    /// with `null`, adds nothing; strings are concatenated; other values after the first are ignored).
    pub fn add_page(&mut self, page: Value) {
        let Value::Object(mut page) = page else {
            return;
        };
        let Some(value) = page.swap_remove(self.result_key) else {
            return;
        };
        match (&mut self.merged, value) {
            (_, Value::Null) => {}
            (None, value) => self.merged = Some(value),
            (Some(Value::Array(existing)), Value::Array(mut more)) => existing.append(&mut more),
            (Some(Value::String(existing)), Value::String(more)) => existing.push_str(&more),
            (Some(_), _) => {}
        }
    }

    /// The merged document, with `NextToken` when `--max-items` stopped early.
    pub fn finish(self, resume_token: Option<&str>) -> Value {
        let mut complete = Map::new();
        if let Some(merged) = self.merged {
            complete.insert(self.result_key.to_string(), merged);
        }
        if let Some(token) = resume_token {
            complete.insert("NextToken", Value::String(token.into()));
        }
        Value::Object(complete)
    }
}

/// `PageIterator.build_full_result()` for a single result key (pages already shaped).
pub fn full_result(pages: &[Value], result_key: &str, resume_token: Option<&str>) -> Value {
    let mut full = FullResult::new(result_key);
    for page in pages {
        full.add_page(page.clone());
    }
    full.finish(resume_token)
}

/// The document the text formatter prints for one page: `{result_key: page[result_key]}` (`None`
/// when the page lacks it), taking the result out of the page.
pub fn text_page_document(page: Value, result_key: &str) -> Value {
    let data = match page {
        Value::Object(mut page) => page.swap_remove(result_key).unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let mut current = Map::new();
    current.insert(result_key.to_string(), data);
    Value::Object(current)
}

/// The document the text formatter prints after the pages when there is a resume token:
/// `{"NextToken": {"NextToken": token}}`.
pub fn text_resume_document(token: &str) -> Value {
    let mut inner = Map::new();
    inner.insert("NextToken", Value::String(token.into()));
    let mut outer = Map::new();
    outer.insert("NextToken", Value::Object(inner));
    Value::Object(outer)
}

/// The documents the text formatter prints, in order, for a paginated call; `--query` is applied
/// to each, and each goes through the text formatter on its own.
pub fn text_page_documents(
    pages: &[Value],
    result_key: &str,
    resume_token: Option<&str>,
) -> Vec<Value> {
    let mut documents: Vec<Value> = pages
        .iter()
        .map(|page| text_page_document(page.clone(), result_key))
        .collect();
    documents.extend(resume_token.map(text_resume_document));
    documents
}
