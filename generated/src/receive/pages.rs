//! Walking every page of an offset/limit method (`getUserProfileAudios`...):
//! `client.get_user_profile_audios(id).limit(50).pages()` yields the items
//! one by one, fetching the next page when the current one is used up.

use std::collections::VecDeque;

use crate::error::Error;
use crate::receive::stream::WalkStream;
use crate::send::client::{Call, Client};
use crate::send::request::Request;

/// A request whose results come in pages (generated from the schema's
/// `paginated` annotation).
pub trait Paginated: Request + Clone {
    /// One item of a page.
    type Item: Send;
    /// The offset the request starts from, if set.
    fn offset(&self) -> Option<i64>;
    /// The same request starting at `offset`.
    fn with_offset(&self, offset: i64) -> Self;
    /// The items of a page and the total count.
    fn into_page(response: Self::Response) -> (Vec<Self::Item>, i64);
}

/// The items of every page, in order; see [`Call::pages`].
#[derive(Debug)]
pub struct Pages<'a, R: Paginated> {
    client: &'a Client,
    request: R,
    offset: i64,
    buffer: VecDeque<R::Item>,
    total: Option<i64>,
    done: bool,
}

impl<'a, R: Paginated> Call<'a, R> {
    /// Walk all pages of this call, item by item.
    pub fn pages(self) -> Pages<'a, R> {
        let (client, request) = self.into_parts();
        let offset = request.offset().unwrap_or(0);
        Pages {
            client,
            request,
            offset,
            buffer: VecDeque::new(),
            total: None,
            done: false,
        }
    }
}

impl<'a, R: Paginated> Pages<'a, R> {
    /// The next item, fetching a page when needed; `None` after the last.
    /// After an error the walk ends.
    pub async fn next(&mut self) -> Option<Result<R::Item, Error>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            match self
                .client
                .send(&self.request.with_offset(self.offset))
                .await
            {
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Ok(response) => {
                    let (items, total) = R::into_page(response);
                    self.total = Some(total);
                    self.offset += items.len() as i64;
                    self.done = items.is_empty() || self.offset >= total;
                    self.buffer.extend(items);
                }
            }
        }
    }

    /// The total Telegram reported with the last page fetched.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// The walk as a `futures_core::Stream` of items.
    pub fn into_stream(self) -> WalkStream<'a, Self, Result<R::Item, Error>>
    where
        R: 'a,
        R::Item: 'a,
    {
        WalkStream::new(self, |mut pages| {
            Box::pin(async move {
                let item = pages.next().await;
                (Some(pages), item)
            })
        })
    }

    /// Fetch every remaining item.
    pub async fn collect_all(mut self) -> Result<Vec<R::Item>, Error> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}
