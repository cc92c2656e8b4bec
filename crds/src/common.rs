//! Types shared by several Sellout resources.

use kube::KubeSchema;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// CEL rule: the value is an active ISO 4217 currency code.
pub const ISO_4217_RULE: &str = concat!(
    "self in [",
    "'AED','AFN','ALL','AMD','AOA','ARS','AUD','AWG','AZN','BAM','BBD','BDT','BGN','BHD','BIF',",
    "'BMD','BND','BOB','BRL','BSD','BTN','BWP','BYN','BZD','CAD','CDF','CHF','CLP','CNY','COP',",
    "'CRC','CUP','CVE','CZK','DJF','DKK','DOP','DZD','EGP','ERN','ETB','EUR','FJD','FKP','GBP',",
    "'GEL','GHS','GIP','GMD','GNF','GTQ','GYD','HKD','HNL','HTG','HUF','IDR','ILS','INR','IQD',",
    "'IRR','ISK','JMD','JOD','JPY','KES','KGS','KHR','KMF','KPW','KRW','KWD','KYD','KZT','LAK',",
    "'LBP','LKR','LRD','LSL','LYD','MAD','MDL','MGA','MKD','MMK','MNT','MOP','MRU','MUR','MVR',",
    "'MWK','MXN','MYR','MZN','NAD','NGN','NIO','NOK','NPR','NZD','OMR','PAB','PEN','PGK','PHP',",
    "'PKR','PLN','PYG','QAR','RON','RSD','RUB','RWF','SAR','SBD','SCR','SDG','SEK','SGD','SHP',",
    "'SLE','SOS','SRD','SSP','STN','SVC','SYP','SZL','THB','TJS','TMT','TND','TOP','TRY','TTD',",
    "'TWD','TZS','UAH','UGX','USD','UYU','UZS','VES','VND','VUV','WST','XAF','XCD','XCG','XOF',",
    "'XPF','YER','ZAR','ZMW','ZWG']"
);

/// Message of [`ISO_4217_RULE`].
pub const ISO_4217_MESSAGE: &str =
    "currency must be an ISO 4217 code in upper case, such as USD, EUR or GBP";

/// A reference to another object of this namespace, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LocalObjectRef {
    /// Name of the object (in the same namespace).
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
}

/// A key of a Kubernetes Secret in the same namespace. Secrets never go
/// into a Sellout resource itself; they are referenced.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeyRef {
    /// Name of the Secret.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Key within the Secret's data.
    #[schemars(length(min = 1, max = 253))]
    pub key: String,
}

/// What a fee or tax is charged on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ChargeTarget {
    /// Once per order.
    Order,
    /// Once per admission ticket.
    #[default]
    Ticket,
    /// Once per add-on (parking, merchandise, upgrades).
    AddOn,
}

/// A fee added to the price, either flat (minor units) or a percentage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("has(self.flatMinor) != has(self.percentBps)").message("a fee needs exactly one of flatMinor or percentBps"))]
pub struct Fee {
    /// Name shown to buyers on the receipt, e.g. "Service fee".
    #[schemars(length(min = 1, max = 80))]
    pub name: String,
    /// What the fee is charged on.
    #[serde(default)]
    pub applies_to: ChargeTarget,
    /// A flat amount in minor units of the event's currency (cents for USD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub flat_minor: Option<i64>,
    /// A percentage in basis points (250 = 2.5 %) of the price it applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 10000))]
    pub percent_bps: Option<i32>,
}

/// A sales tax, as a rate on the price after discounts and promoter fees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tax {
    /// Name shown to buyers, e.g. "VAT" or "Sales tax".
    #[schemars(length(min = 1, max = 80))]
    pub name: String,
    /// Rate in basis points (2000 = 20 %).
    #[schemars(range(min = 0, max = 10000))]
    pub rate_bps: i32,
    /// What the tax is charged on.
    #[serde(default)]
    pub applies_to: ChargeTarget,
}
