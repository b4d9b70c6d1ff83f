//! List exports (`GET /work-orders/export?format=csv|xlsx&…`): the list's filters, every row,
//! in constant memory. Rows are read in batches by keyset, each batch in a short transaction of
//! its own (no transaction stays open while a client downloads); CSV streams out as the
//! batches come, XLSX is written to a temporary file by rust_xlsxwriter's constant-memory
//! worksheet, then streamed.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use gmao_kpi::export::rows::{self, Value, XlsxRows};
use poem::Body;
use poem_openapi::Enum;
use poem_openapi::payload::{Binary, Response};
use tokio::sync::OwnedSemaphorePermit;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Rows read per transaction.
pub const BATCH: i64 = 2000;
/// How long an export waits for a free slot before 503 `server_busy`: a slot frees when an
/// export ends, which may take minutes, so waiting long helps nobody.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
/// How long a download may stop reading before it is cut (it holds a slot all along).
const STALLED_CLIENT: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ListFormat {
    /// UTF-8 with a byte-order mark, comma-separated, one header line.
    Csv,
    /// One sheet; at most 1,048,575 rows (Excel's limit).
    Xlsx,
}

/// Where the next batch starts: after this (creation instant, id).
pub type Cursor = (DateTime<Utc>, Uuid);

/// Reads the batch after a cursor: its rows, and the cursor of its last row.
pub type Fetch = Arc<
    dyn Fn(Option<Cursor>) -> BoxFuture<'static, ApiResult<(Vec<Vec<Value>>, Option<Cursor>)>>
        + Send
        + Sync,
>;

/// Reads one batch in the transaction given, from what the export shares (its filter and the
/// caller's sites).
pub type ReadBatch<S, T> = for<'a> fn(
    &'a mut gmao_db::TenantTx,
    &'a S,
    Option<Cursor>,
) -> BoxFuture<'a, gmao_db::Result<Vec<T>>>;

/// A [`Fetch`] that reads each batch with `read` in a short transaction of its own, as `actor`,
/// and writes each row with `row`; `cursor` names where a row sits in the order.
pub fn fetcher<S, T>(
    pool: gmao_db::PgPool,
    tenant: gmao_domain::TenantId,
    actor: gmao_db::Actor,
    shared: S,
    read: ReadBatch<S, T>,
    cursor: fn(&T) -> Cursor,
    row: fn(T) -> Vec<Value>,
) -> Fetch
where
    S: Send + Sync + 'static,
    T: Send + 'static,
{
    let shared = Arc::new(shared);
    Arc::new(move |after| {
        let (pool, shared, actor) = (pool.clone(), shared.clone(), actor.clone());
        Box::pin(async move {
            let mut tx = gmao_db::TenantTx::begin(&pool, tenant, actor).await?;
            // A batch reads 2,000 rows by index: compiling it (JIT, which its estimated cost
            // on a large table calls for) would cost more than it saves.
            gmao_db::sqlx::query("SET LOCAL jit = off")
                .execute(tx.conn())
                .await
                .map_err(gmao_db::Error::from)?;
            let batch = read(&mut tx, &shared, after).await?;
            tx.commit().await?;
            let next = (batch.len() as i64 == BATCH)
                .then(|| batch.last().map(cursor))
                .flatten();
            Ok((batch.into_iter().map(row).collect(), next))
        })
    })
}

/// What is exported.
pub struct Export {
    /// `bons-de-travail` → `bons-de-travail-2026-12-04.csv`.
    pub file_stem: &'static str,
    pub sheet: &'static str,
    pub columns: &'static [&'static str],
    pub fetch: Fetch,
}

fn file_name(export: &Export, format: ListFormat) -> String {
    let ext = match format {
        ListFormat::Csv => "csv",
        ListFormat::Xlsx => "xlsx",
    };
    format!("{}-{}.{ext}", export.file_stem, Utc::now().date_naive())
}

fn respond(body: Body, content_type: &str, name: &str) -> Response<Binary<Body>> {
    Response::new(Binary(body))
        .header("content-type", content_type)
        .header(
            "content-disposition",
            super::files::content_disposition(name, false),
        )
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
}

/// Answers the export in `format`, in one of the export slots held until the last row is
/// read. The first batch is read before answering, so that a failure there is a proper error
/// rather than a cut download.
pub async fn respond_with(
    state: &AppState,
    export: Export,
    format: ListFormat,
) -> ApiResult<Response<Binary<Body>>> {
    let slot = tokio::time::timeout(SLOT_WAIT, state.exports.clone().acquire_owned())
        .await
        .map_err(|_| super::files::busy())?
        .map_err(|_| super::files::busy())?;
    let name = file_name(&export, format);
    match format {
        ListFormat::Csv => csv(export, &name, slot).await,
        ListFormat::Xlsx => {
            let response = xlsx(export, &name).await;
            drop(slot);
            response
        }
    }
}

async fn csv(
    export: Export,
    name: &str,
    slot: OwnedSemaphorePermit,
) -> ApiResult<Response<Binary<Body>>> {
    let header = rows::csv_header(export.columns).map_err(ApiError::internal)?;
    let (first, mut cursor) = (export.fetch)(None).await?;
    let first = rows::csv_rows(&first).map_err(ApiError::internal)?;
    let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(2);
    let fetch = export.fetch.clone();
    tokio::spawn(async move {
        let _slot = slot;
        for chunk in [header, first] {
            if sender.send(Ok(chunk)).await.is_err() {
                return;
            }
        }
        while cursor.is_some() {
            let chunk = match fetch(cursor).await {
                Ok((batch, next)) => {
                    cursor = next;
                    rows::csv_rows(&batch).map_err(|e| std::io::Error::other(e.to_string()))
                }
                Err(error) => {
                    tracing::error!(error = ?error, "export cut short");
                    Err(std::io::Error::other("export failed"))
                }
            };
            let failed = chunk.is_err();
            // A client that went away, or stopped reading, stops the export and frees its slot.
            let sent = tokio::time::timeout(STALLED_CLIENT, sender.send(chunk)).await;
            if !matches!(sent, Ok(Ok(()))) || failed {
                return;
            }
        }
    });
    let stream = futures::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    Ok(respond(
        Body::from_bytes_stream(stream),
        "text/csv; charset=utf-8",
        name,
    ))
}

async fn xlsx(export: Export, name: &str) -> ApiResult<Response<Binary<Body>>> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Vec<Value>>>(2);
    let columns = export.columns;
    let sheet = export.sheet;
    // The workbook lives on a blocking thread: writing and zipping are CPU and disk work.
    let writer = tokio::task::spawn_blocking(move || -> Result<std::fs::File, String> {
        let mut book = XlsxRows::new(sheet, columns).map_err(|e| e.to_string())?;
        let mut full = false;
        while let Some(batch) = receiver.blocking_recv() {
            for row in &batch {
                if !full && !book.push(row).map_err(|e| e.to_string())? {
                    full = true;
                }
            }
        }
        let mut file = tempfile::tempfile().map_err(|e| e.to_string())?;
        book.finish(&mut file).map_err(|e| e.to_string())?;
        use std::io::Seek;
        file.rewind().map_err(|e| e.to_string())?;
        Ok(file)
    });
    let mut cursor = None;
    let mut first = true;
    let mut read = 0usize;
    // Past what a sheet holds there is nothing to read for.
    let room = (rows::XLSX_MAX_ROWS - 1) as usize;
    while (first || cursor.is_some()) && read < room {
        first = false;
        let (batch, next) = (export.fetch)(cursor).await?;
        cursor = next;
        read += batch.len();
        if sender.send(batch).await.is_err() {
            break;
        }
    }
    drop(sender);
    let file = writer
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(respond(
        Body::from_async_read(tokio::fs::File::from_std(file)),
        gmao_kpi::export::Format::Xlsx.content_type(),
        name,
    ))
}
