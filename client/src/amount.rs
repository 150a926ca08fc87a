//! Token amounts and percentages as users type and read them.
//!
//! Amounts are in OWH with up to 12 decimals (`12.5`, `0.001 OWH`), or in the smallest unit
//! with a `u` suffix (`3u`). Percentages allow up to 4 decimals (`12.5%`, 1 part per million).

use anyhow::{anyhow, bail, Result};

/// Decimals of the native token: 1 OWH = 10^12 units.
pub const DECIMALS: u32 = 12;
/// One OWH in units.
pub const UNIT: u128 = 10u128.pow(DECIMALS);

/// Parses `12.5`, `12.5 OWH` or `7u` into units.
pub fn parse_amount(text: &str) -> Result<u128> {
	let trimmed = text.trim();
	if let Some(units) = trimmed.strip_suffix('u') {
		return units.trim().parse::<u128>().map_err(|e| {
			anyhow!(
				"{text:?} is not a whole number of units ({e}); the largest is {}",
				u128::MAX
			)
		});
	}
	let number = trimmed
		.strip_suffix("OWH")
		.or_else(|| trimmed.strip_suffix("owh"))
		.unwrap_or(trimmed)
		.trim();
	let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
	let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
	if !digits(whole) || !(fraction.is_empty() || digits(fraction)) {
		bail!("{text:?} is not an amount; write OWH like 12.5, or units like 3u");
	}
	if fraction.len() > DECIMALS as usize {
		bail!("{text:?} has more than {DECIMALS} decimals; the smallest amount is 0.000000000001 OWH (1u)");
	}
	let overflow = || {
		anyhow!(
			"{text:?} overflows: the largest amount is {} OWH",
			format_amount(u128::MAX)
		)
	};
	let whole: u128 = whole.parse().map_err(|_| overflow())?;
	let fraction_units: u128 = if fraction.is_empty() {
		0
	} else {
		fraction.parse::<u128>().map_err(|_| overflow())?
			* 10u128.pow(DECIMALS - fraction.len() as u32)
	};
	whole
		.checked_mul(UNIT)
		.and_then(|w| w.checked_add(fraction_units))
		.ok_or_else(overflow)
}

/// Formats units as OWH with only the decimals needed: `12.5 OWH`, `0.000000000003 OWH`.
pub fn format_amount(units: u128) -> String {
	let whole = units / UNIT;
	let fraction = units % UNIT;
	if fraction == 0 {
		format!("{whole} OWH")
	} else {
		let digits = format!("{fraction:012}");
		format!("{whole}.{} OWH", digits.trim_end_matches('0'))
	}
}

/// Parses `12.5%`, `12.5` or `100%` into parts per million.
pub fn parse_percent(text: &str, what: &str) -> Result<u32> {
	let number = text.trim().trim_end_matches('%').trim();
	let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
	let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
	if !digits(whole) || !(fraction.is_empty() || digits(fraction)) || whole.len() > 4 {
		bail!("{what} {text:?} is not a percentage like 12.5%");
	}
	if fraction.len() > 4 {
		bail!("{what} {text:?} is finer than 0.0001% (one part per million)");
	}
	let ppm = whole.parse::<u32>()? * 10_000
		+ if fraction.is_empty() {
			0
		} else {
			fraction.parse::<u32>()? * 10u32.pow(4 - fraction.len() as u32)
		};
	if ppm > 1_000_000 {
		bail!("{what} {text:?} is above 100%");
	}
	Ok(ppm)
}

/// Formats parts per million as a percentage: `12.5%`.
pub fn format_percent(ppm: u32) -> String {
	let whole = ppm / 10_000;
	let fraction = ppm % 10_000;
	if fraction == 0 {
		format!("{whole}%")
	} else {
		format!(
			"{whole}.{}%",
			format!("{fraction:04}").trim_end_matches('0')
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts() {
		assert_eq!(parse_amount("12.5").unwrap(), 12_500_000_000_000);
		assert_eq!(parse_amount("0.001 OWH").unwrap(), 1_000_000_000);
		assert_eq!(parse_amount("3u").unwrap(), 3);
		assert_eq!(parse_amount("1000000000001u").unwrap(), 1_000_000_000_001);
		assert_eq!(format_amount(12_500_000_000_000), "12.5 OWH");
		assert_eq!(format_amount(3), "0.000000000003 OWH");
		assert_eq!(format_amount(2 * UNIT), "2 OWH");
		let err = parse_amount("999999999999999999999999999999").unwrap_err();
		assert!(err.to_string().contains("overflows"), "{err}");
		let err = parse_amount("340282366920938463463374607431768211456u").unwrap_err();
		assert!(err.to_string().contains("whole number of units"), "{err}");
		assert!(parse_amount("1.0000000000001").is_err());
		assert!(parse_amount("-1").is_err());
		assert!(parse_amount("ten").is_err());
		assert!(parse_amount("").is_err());
	}

	#[test]
	fn percentages() {
		assert_eq!(parse_percent("20%", "rate").unwrap(), 200_000);
		assert_eq!(parse_percent("12.5", "rate").unwrap(), 125_000);
		assert_eq!(parse_percent("0.0001%", "rate").unwrap(), 1);
		assert_eq!(parse_percent("100%", "rate").unwrap(), 1_000_000);
		let err = parse_percent("150%", "royalty rate").unwrap_err();
		assert_eq!(err.to_string(), "royalty rate \"150%\" is above 100%");
		assert!(parse_percent("0.00001%", "rate").is_err());
		assert!(parse_percent("x%", "rate").is_err());
		assert_eq!(format_percent(125_000), "12.5%");
		assert_eq!(format_percent(333_334), "33.3334%");
		assert_eq!(format_percent(1_000_000), "100%");
	}
}
