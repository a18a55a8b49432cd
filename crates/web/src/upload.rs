//! Uploaded files: read through a temporary file with the upload's extension, so CSV and XLSX go
//! through the same readers as files on disk.

use axum::extract::Multipart;
use dangbo_store::StoreError;
use dangbo_store::access::{Format, Table, read_table};

use crate::AppError;

/// Reads the `file` field of a form that attaches a document (PDF or DOCX): its name and bytes,
/// read piece by piece and no further than one byte past the attachments' limit (enough for the
/// writer to say the file is too big, without holding a larger upload in memory). `None` when
/// no file was chosen.
pub async fn read_attachment(
    multipart: &mut Multipart,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("tệp tải lên bị lỗi: {e}"))
    };
    let mut upload = None;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            let room = dangbo_domain::programmes::ATTACHMENT_MAX_BYTES + 1 - bytes.len();
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if bytes.len() > dangbo_domain::programmes::ATTACHMENT_MAX_BYTES {
                break;
            }
        }
        upload = Some((name, bytes));
    }
    Ok(upload.filter(|(name, _)| !name.is_empty()))
}

/// Reads an uploaded file into a table, on a thread for blocking work: checking a large workbook
/// takes seconds of CPU, which must not stall the server's request threads.
pub async fn read_upload(
    file_name: &str,
    bytes: impl AsRef<[u8]> + Send + 'static,
) -> Result<Table, StoreError> {
    let name = file_name.to_string();
    tokio::task::spawn_blocking(move || read_upload_now(&name, bytes.as_ref()))
        .await
        .map_err(|e| StoreError::File(format!("{file_name}: không đọc được tệp ({e})")))?
}

/// Reads an uploaded file into a table through a temporary file with the upload's extension.
fn read_upload_now(file_name: &str, bytes: &[u8]) -> Result<Table, StoreError> {
    let extension = match Format::of(std::path::Path::new(file_name))? {
        Format::Csv => ".csv",
        Format::Xlsx => ".xlsx",
    };
    let file = tempfile::Builder::new()
        .suffix(extension)
        .tempfile()
        .map_err(|e| StoreError::File(e.to_string()))?;
    std::fs::write(file.path(), bytes).map_err(|e| StoreError::File(e.to_string()))?;
    read_table(file.path()).map_err(|e| match e {
        // Messages name the upload, not the temporary file.
        StoreError::File(m) => {
            StoreError::File(m.replace(&file.path().display().to_string(), file_name))
        }
        other => other,
    })
}
