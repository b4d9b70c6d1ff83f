//! Paging and sorting of lists, shared by every repository.

use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, Row};

pub const MAX_PER_PAGE: u32 = 200;
pub const DEFAULT_PER_PAGE: u32 = 50;

/// A 1-based page of at most [`MAX_PER_PAGE`] rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl PageRequest {
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(self.per_page)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: i64, request: PageRequest) -> Self {
        Page {
            items,
            total,
            page: request.page,
            per_page: request.per_page,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// A sort key among those a list allows, ascending or descending. The key is bound as a query
/// parameter and matched by `CASE` in SQL, so no text is ever formatted into a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: &'static str,
    pub descending: bool,
}

impl Sort {
    pub const fn asc(key: &'static str) -> Sort {
        Sort {
            key,
            descending: false,
        }
    }

    /// Parses `name` or `-created_at` against the allowed keys.
    pub fn parse(raw: &str, allowed: &[&'static str]) -> Option<Sort> {
        let (descending, key) = match raw.strip_prefix('-') {
            Some(key) => (true, key),
            None => (false, raw),
        };
        allowed
            .iter()
            .find(|allowed| **allowed == key)
            .map(|key| Sort { key, descending })
    }
}

/// A row of a list query that also selects `count(*) OVER () AS total`.
pub struct Counted<T> {
    pub total: i64,
    pub item: T,
}

impl<'r, T: FromRow<'r, PgRow>> FromRow<'r, PgRow> for Counted<T> {
    fn from_row(row: &'r PgRow) -> sqlx::Result<Self> {
        Ok(Counted {
            total: row.try_get("total")?,
            item: T::from_row(row)?,
        })
    }
}

impl<T> Page<T> {
    /// Builds a page from rows that carry `count(*) OVER () AS total`. `total_if_empty` is the
    /// total learnt by a second query when the page lies past the end (no rows to carry it).
    pub fn from_counted(
        rows: Vec<Counted<T>>,
        total_if_empty: Option<i64>,
        request: PageRequest,
    ) -> Page<T> {
        let total = rows
            .first()
            .map(|r| r.total)
            .or(total_if_empty)
            .unwrap_or(0);
        Page::new(rows.into_iter().map(|r| r.item).collect(), total, request)
    }
}

/// Runs a list query (an expression using `limit` and `offset`, answering
/// `Vec<Counted<T>>`) for one page. When the page lies past the end, the query runs again
/// for the first row, to learn the total. A macro rather than a closure: async closures that
/// borrow the transaction do not satisfy the `Send` bounds of the HTTP handlers.
macro_rules! paged {
    ($page:expr, |$limit:ident, $offset:ident| $fetch:expr) => {{
        let request: $crate::PageRequest = $page;
        let rows = {
            let $limit = request.limit();
            let $offset = request.offset();
            $fetch
        };
        let total_if_empty = if rows.is_empty() && request.offset() > 0 {
            let $limit = 1_i64;
            let $offset = 0_i64;
            let first = $fetch;
            first.first().map(|r| r.total)
        } else {
            None
        };
        $crate::Page::from_counted(rows, total_if_empty, request)
    }};
}
pub(crate) use paged;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_one_based() {
        assert_eq!(
            PageRequest {
                page: 1,
                per_page: 50
            }
            .offset(),
            0
        );
        assert_eq!(
            PageRequest {
                page: 3,
                per_page: 20
            }
            .offset(),
            40
        );
        assert_eq!(
            PageRequest {
                page: 0,
                per_page: 20
            }
            .offset(),
            0
        );
    }

    #[test]
    fn sort_accepts_only_allowed_keys() {
        let allowed = &["name", "created_at"];
        assert_eq!(
            Sort::parse("name", allowed),
            Some(Sort {
                key: "name",
                descending: false
            })
        );
        assert_eq!(
            Sort::parse("-created_at", allowed),
            Some(Sort {
                key: "created_at",
                descending: true
            })
        );
        assert_eq!(Sort::parse("password_hash", allowed), None);
        assert_eq!(Sort::parse("--name", allowed), None);
    }
}
