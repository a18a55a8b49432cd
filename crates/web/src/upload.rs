//! Uploaded files: read through a temporary file with the upload's extension, so CSV and XLSX go
//! through the same readers as files on disk.

use dangbo_store::StoreError;
use dangbo_store::access::{Format, Table, read_table};

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
