//! `/api/v1/countries`, `/api/v1/levels`: the public catalogue (no sign-in needed).

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Country, Level};
use crate::app::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};

#[derive(Serialize, ToSchema)]
pub struct CountryList<'a> {
    /// Version of the catalogue data.
    pub version: &'a str,
    pub countries: &'a [Country],
}

/// Every country/region (ISO 3166-1) with the documents it issues, which sides each needs,
/// the document-number rule and the minimum age.
#[utoipa::path(tag = "catalogue", responses((status = 200, description = "The catalogue", body = CountryList)))]
#[get("/countries")]
pub async fn list_countries(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(CountryList { version: &state.catalogue.version, countries: state.catalogue.countries() })
}

/// One country/region by ISO 3166-1 alpha-2 code (case-insensitive).
#[utoipa::path(
    tag = "catalogue",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code, e.g. DE")),
    responses(
        (status = 200, description = "The country", body = Country),
        (status = 404, description = "`not_found`: no such country code", body = ErrorBody),
    )
)]
#[get("/countries/{code}")]
pub async fn get_country(state: web::Data<AppState>, code: web::Path<String>) -> ApiResult<HttpResponse> {
    let code = code.into_inner().to_ascii_uppercase();
    let country = state.catalogue.country(&code).ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "public, max-age=3600")).json(country))
}

#[derive(Serialize, ToSchema)]
pub struct LevelList<'a> {
    pub default_level: &'a str,
    pub levels: &'a [Level],
}

/// Verification levels and the steps each requires.
#[utoipa::path(tag = "catalogue", responses((status = 200, description = "The levels", body = LevelList)))]
#[get("/levels")]
pub async fn list_levels(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .json(LevelList { default_level: state.catalogue.default_level(), levels: state.catalogue.levels() })
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(list_countries).service(get_country).service(list_levels);
}
