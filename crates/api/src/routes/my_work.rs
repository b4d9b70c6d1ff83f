//! "Mon travail": the caller's open work, all of it, sorted into the buckets of their day.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gmao_db::my_work::{self, MyWorkQuery};
use gmao_domain::Permission;
use gmao_domain::maintenance as domain;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};

use super::vocabulary::WorkBucket;
use super::work_orders::{WorkOrder, describe};
use super::{ApiTags, page_request, search};
use crate::auth::{BearerAuth, Ctx};
use crate::error::ApiResult;
use crate::state::AppState;

pub struct MyWorkApi;

/// How far ahead to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Within {
    /// Overdue and today's work.
    Today,
    /// Overdue, today's and the rest of this week's work.
    Week,
}

/// An order of the caller's work.
#[derive(Debug, Object)]
pub struct MyWorkItem {
    #[oai(flatten)]
    pub order: WorkOrder,
    pub bucket: WorkBucket,
    /// When it was given to the caller: clients mark recent ones as new.
    pub assigned_at: DateTime<Utc>,
}

/// One bucket of the caller's day: its count over all their work, and its first orders.
#[derive(Debug, Object)]
pub struct MyWorkGroup {
    pub bucket: WorkBucket,
    pub total: i64,
    pub items: Vec<MyWorkItem>,
}

/// The caller's open work (assigned, in progress, on hold), every bucket with its total.
#[derive(Debug, Object)]
pub struct MyWork {
    /// `overdue`, `today`, `this_week`, `later`, `on_hold`, in that order (the first two, or
    /// three, with `within`); empty buckets included, with `total: 0`.
    pub groups: Vec<MyWorkGroup>,
    /// Orders over all the groups.
    pub total: i64,
}

/// A page of one bucket.
#[derive(Debug, Object)]
pub struct MyWorkPage {
    pub items: Vec<MyWorkItem>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

fn item(ctx: &Ctx, item: my_work::MyWorkItem) -> MyWorkItem {
    MyWorkItem {
        bucket: item.bucket.into(),
        assigned_at: item.assigned_at,
        order: describe(ctx, item.order),
    }
}

#[OpenApi(prefix_path = "/my-work", tag = "ApiTags::WorkOrders")]
impl MyWorkApi {
    /// My work, grouped
    ///
    /// Every open order assigned to the caller, across all pages, sorted into `overdue`,
    /// `today`, `this_week`, `later` and `on_hold` by its due time in its site's time zone; in
    /// each, urgent first, then the most recently assigned, then the earliest due. Each group
    /// holds its total and its first `per_group` orders; `GET /my-work/{bucket}` pages on.
    #[oai(path = "/", method = "get")]
    async fn summary(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        /// Searches number, title and equipment.
        q: Query<Option<String>>,
        within: Query<Option<Within>>,
        /// Orders per group, 20 by default.
        #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
        per_group: Query<Option<u32>>,
    ) -> ApiResult<Json<MyWork>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let buckets = match within.0 {
            None => domain::WorkBucket::ALL.to_vec(),
            Some(Within::Today) => vec![domain::WorkBucket::Overdue, domain::WorkBucket::Today],
            Some(Within::Week) => vec![
                domain::WorkBucket::Overdue,
                domain::WorkBucket::Today,
                domain::WorkBucket::ThisWeek,
            ],
        };
        let query = MyWorkQuery {
            user_id: ctx.principal.user_id,
            buckets,
            q: search(q.0),
            offset: 0,
            limit: i64::from(per_group.0.unwrap_or(20)),
        };
        let scope = ctx.principal.site_scope.clone();
        let buckets = my_work::read(&mut ctx.tx, scope.as_deref(), &query).await?;
        let total = buckets.iter().map(|b| b.total).sum();
        let groups = buckets
            .into_iter()
            .map(|b| MyWorkGroup {
                bucket: b.bucket.into(),
                total: b.total,
                items: b.items.into_iter().map(|i| item(&ctx, i)).collect(),
            })
            .collect();
        ctx.commit().await?;
        Ok(Json(MyWork { groups, total }))
    }

    /// One bucket of my work, paged
    #[oai(path = "/:bucket", method = "get")]
    async fn bucket(
        &self,
        state: Data<&Arc<AppState>>,
        req: &Request,
        auth: BearerAuth,
        bucket: Path<WorkBucket>,
        /// Searches number, title and equipment.
        q: Query<Option<String>>,
        #[oai(validator(minimum(value = "1")))] page: Query<Option<u32>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] per_page: Query<
            Option<u32>,
        >,
    ) -> ApiResult<Json<MyWorkPage>> {
        let mut ctx = Ctx::open(&state, &auth, req).await?;
        ctx.require(Permission::WorkOrdersRead)?;
        let paging = page_request(page.0, per_page.0.or(Some(20)));
        let query = MyWorkQuery {
            user_id: ctx.principal.user_id,
            buckets: vec![bucket.0.into()],
            q: search(q.0),
            offset: paging.offset(),
            limit: paging.limit(),
        };
        let scope = ctx.principal.site_scope.clone();
        let mut buckets = my_work::read(&mut ctx.tx, scope.as_deref(), &query).await?;
        let found = buckets.pop();
        let total = found.as_ref().map_or(0, |b| b.total);
        let items = found
            .map(|b| b.items.into_iter().map(|i| item(&ctx, i)).collect())
            .unwrap_or_default();
        ctx.commit().await?;
        Ok(Json(MyWorkPage {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        }))
    }
}
