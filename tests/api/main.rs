//! Black-box tests of the HTTP API against a real PostgreSQL. One binary, one module per area;
//! every test makes its own companies, so tests run in parallel without seeing each other.

mod accounts;
mod audit;
mod auth;
mod cli;
mod conventions;
mod demo;
mod equipment;
mod follow_ups;
mod hardening;
mod isolation;
mod maintenance;
mod meters;
mod migrations;
mod my_work;
mod permissions;
mod pm_workers;
mod portal;
mod preventive;
mod scoping;
mod sites;
mod spec_templates;
mod sweep;
mod templates;
mod throttling;
mod users;
mod workers;
