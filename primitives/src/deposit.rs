//! The one rule every stored item's deposit follows.

use polkadot_sdk::sp_arithmetic::traits::AtLeast32BitUnsigned;

/// What a stored item occupies: storage entries and encoded bytes (keys and values).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
	/// Storage entries.
	pub items: u32,
	/// Encoded bytes of their keys and values.
	pub bytes: u64,
}

impl Footprint {
	/// One storage entry of `bytes` encoded bytes.
	pub fn entry(bytes: usize) -> Self {
		Self {
			items: 1,
			bytes: bytes as u64,
		}
	}

	/// This footprint and `other` together.
	pub fn and(self, other: Self) -> Self {
		Self {
			items: self.items.saturating_add(other.items),
			bytes: self.bytes.saturating_add(other.bytes),
		}
	}

	/// `count` entries of `bytes` bytes each.
	pub fn entries(count: u32, bytes: usize) -> Self {
		Self {
			items: count,
			bytes: (bytes as u64).saturating_mul(count.into()),
		}
	}

	/// The deposit for this footprint: `per_item × items + per_byte × bytes`, saturating.
	pub fn deposit<Balance: AtLeast32BitUnsigned + Copy>(
		self,
		per_item: Balance,
		per_byte: Balance,
	) -> Balance {
		let items: Balance = self.items.into();
		let bytes = Balance::try_from(self.bytes).unwrap_or_else(|_| Balance::max_value());
		per_item
			.saturating_mul(items)
			.saturating_add(per_byte.saturating_mul(bytes))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn deposit_is_per_item_plus_per_byte() {
		let footprint = Footprint::entry(100).and(Footprint::entries(2, 65));
		assert_eq!(
			footprint,
			Footprint {
				items: 3,
				bytes: 230
			}
		);
		assert_eq!(footprint.deposit(10u128, 2), 30 + 460);
	}

	#[test]
	fn deposit_saturates() {
		let footprint = Footprint::entries(u32::MAX, usize::MAX);
		assert_eq!(footprint.deposit(u64::MAX, u64::MAX), u64::MAX);
		assert_eq!(Footprint::default().deposit(10u128, 2), 0);
	}
}
