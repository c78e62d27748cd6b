//! Object storage for images: a small trait and its S3 implementation (aws-sdk-s3 against
//! any S3-compatible server: AWS, MinIO, s3s-fs). Keys are opaque and carry no PII.

use std::time::Duration;

use anyhow::Context;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;

use crate::config::S3Config;

pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What the service needs from an object store.
pub trait ObjectStore: Send + Sync {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>, content_type: &'a str) -> BoxFuture<'a, anyhow::Result<()>>;
    /// `Ok(None)` when there is no such object.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<Option<Vec<u8>>>>;
    /// Deleting a missing object is not an error.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<()>>;
    /// A GET URL valid for `ttl`; never log it.
    fn presign_get<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, anyhow::Result<String>>;
    /// Keys under `prefix` (for retention, erasure and tests).
    fn list<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, anyhow::Result<Vec<String>>>;
    /// Cheap reachability check for `/readyz`.
    fn ping(&self) -> BoxFuture<'_, anyhow::Result<()>>;
}

pub struct S3Store {
    client: Client,
    bucket: String,
}

impl S3Store {
    pub fn new(config: &S3Config) -> Self {
        let credentials = Credentials::new(
            config.access_key_id.clone(),
            config.secret_access_key.expose().to_owned(),
            None,
            None,
            "ekyc-config",
        );
        let conf = aws_sdk_s3::config::Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(config.region.clone()))
            .endpoint_url(config.endpoint.clone())
            .credentials_provider(credentials)
            .force_path_style(config.force_path_style)
            // Plain checksums only when the operation needs them: not every S3-compatible
            // server understands the newer trailing CRC checksums.
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(2))
                    .operation_attempt_timeout(Duration::from_secs(10))
                    .operation_timeout(Duration::from_secs(30))
                    .build(),
            )
            .retry_config(aws_sdk_s3::config::retry::RetryConfig::standard().with_max_attempts(2))
            .build();
        Self { client: Client::from_conf(conf), bucket: config.bucket.clone() }
    }

    /// Creates the bucket when it is missing.
    pub async fn ensure_bucket(&self) -> anyhow::Result<()> {
        match self.client.head_bucket().bucket(&self.bucket).send().await {
            Ok(_) => Ok(()),
            Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => {
                self.client.create_bucket().bucket(&self.bucket).send().await.map(|_| ()).or_else(|e| {
                    // Another replica may have created it in the meantime.
                    if e.as_service_error().is_some_and(|s| s.is_bucket_already_owned_by_you()) {
                        Ok(())
                    } else {
                        Err(anyhow::Error::new(e).context("creating the bucket"))
                    }
                })?;
                tracing::info!(bucket = %self.bucket, "created bucket");
                Ok(())
            }
            Err(err) => Err(anyhow::Error::new(err).context("checking the bucket")),
        }
    }
}

impl ObjectStore for S3Store {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>, content_type: &'a str) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            self.client
                .put_object()
                .bucket(&self.bucket)
                .key(key)
                .content_type(content_type)
                .body(ByteStream::from(bytes))
                .send()
                .await
                .context("storing an object")?;
            Ok(())
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<Option<Vec<u8>>>> {
        Box::pin(async move {
            match self.client.get_object().bucket(&self.bucket).key(key).send().await {
                Ok(out) => {
                    let data = out.body.collect().await.context("reading an object")?;
                    Ok(Some(data.into_bytes().to_vec()))
                }
                Err(err) if err.as_service_error().is_some_and(|e| e.is_no_such_key()) => Ok(None),
                Err(err) => Err(anyhow::Error::new(err).context("fetching an object")),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            self.client.delete_object().bucket(&self.bucket).key(key).send().await.context("deleting an object")?;
            Ok(())
        })
    }

    fn presign_get<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(async move {
            let presigning = PresigningConfig::expires_in(ttl).context("presigning settings")?;
            let req = self.client.get_object().bucket(&self.bucket).key(key).presigned(presigning).await?;
            Ok(req.uri().to_owned())
        })
    }

    fn list<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, anyhow::Result<Vec<String>>> {
        Box::pin(async move {
            let mut keys = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let out = self
                    .client
                    .list_objects_v2()
                    .bucket(&self.bucket)
                    .prefix(prefix)
                    .set_continuation_token(token.take())
                    .send()
                    .await
                    .context("listing objects")?;
                keys.extend(out.contents().iter().filter_map(|o| o.key().map(str::to_owned)));
                match out.next_continuation_token() {
                    Some(t) if out.is_truncated() == Some(true) => token = Some(t.to_owned()),
                    _ => break,
                }
            }
            Ok(keys)
        })
    }

    fn ping(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            self.client.head_bucket().bucket(&self.bucket).send().await.context("reaching object storage")?;
            Ok(())
        })
    }
}
