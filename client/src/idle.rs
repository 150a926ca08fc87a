//! A connection that fails a write which makes no progress for a while: the peer stopped
//! reading (a slow-read attack, or a dead client), so its connection slot is freed.

use std::{
	future::Future,
	io,
	pin::Pin,
	task::{Context, Poll},
	time::Duration,
};
use tokio::{
	io::{AsyncRead, AsyncWrite, ReadBuf},
	time::Sleep,
};

pub struct Idle<S> {
	inner: S,
	timeout: Duration,
	/// Armed while a write waits; reset by any progress.
	stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> Idle<S> {
	pub fn new(inner: S, timeout: Duration) -> Self {
		Self {
			inner,
			timeout,
			stalled: None,
		}
	}

	fn wait<T>(
		&mut self,
		cx: &mut Context<'_>,
		polled: Poll<io::Result<T>>,
	) -> Poll<io::Result<T>> {
		if polled.is_ready() {
			self.stalled = None;
			return polled;
		}
		let timeout = self.timeout;
		let sleep = self
			.stalled
			.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
		match sleep.as_mut().poll(cx) {
			Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
				io::ErrorKind::TimedOut,
				"the client took no bytes for the client timeout",
			))),
			Poll::Pending => Poll::Pending,
		}
	}
}

impl<S: AsyncRead + Unpin> AsyncRead for Idle<S> {
	fn poll_read(
		self: Pin<&mut Self>,
		cx: &mut Context<'_>,
		buf: &mut ReadBuf<'_>,
	) -> Poll<io::Result<()>> {
		// Reads are bounded by hyper's header timeout and the upload's frame timeout.
		Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
	}
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Idle<S> {
	fn poll_write(
		self: Pin<&mut Self>,
		cx: &mut Context<'_>,
		buf: &[u8],
	) -> Poll<io::Result<usize>> {
		let this = self.get_mut();
		let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
		this.wait(cx, polled)
	}

	fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
		let this = self.get_mut();
		let polled = Pin::new(&mut this.inner).poll_flush(cx);
		this.wait(cx, polled)
	}

	fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
		Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use tokio::io::AsyncWriteExt;

	#[tokio::test]
	async fn a_write_the_peer_never_takes_times_out() {
		// A 1-byte pipe the other side never reads.
		let (near, _far) = tokio::io::duplex(1);
		let mut idle = Idle::new(near, Duration::from_millis(50));
		let err = idle.write_all(&[0u8; 64]).await.unwrap_err();
		assert_eq!(err.kind(), io::ErrorKind::TimedOut);
	}

	#[tokio::test]
	async fn writes_that_progress_do_not_time_out() {
		let (near, mut far) = tokio::io::duplex(16);
		let mut idle = Idle::new(near, Duration::from_millis(200));
		let reader = tokio::spawn(async move {
			let mut got = Vec::new();
			tokio::io::AsyncReadExt::read_to_end(&mut far, &mut got)
				.await
				.unwrap();
			got.len()
		});
		idle.write_all(&[7u8; 4096]).await.unwrap();
		idle.shutdown().await.unwrap();
		drop(idle);
		assert_eq!(reader.await.unwrap(), 4096);
	}
}
