//! The inventory book: exact counts of one event's tiers under holds,
//! releases, expiry, sales, refunds and capacity changes.
//!
//! Pure and deterministic (time is passed in), so the same code serves as
//! the in-memory state of a single writer, as the replay of the ledger
//! after a crash, and as the checker that proves, from the ledger of holds
//! and orders rather than from counters, that for every tier at every
//! moment `sold + held + available == capacity` and nothing is negative.
//!
//! Every operation is idempotent by hold id: a retried hold returns the
//! first answer; a second release, expiry or sale of the same hold changes
//! nothing. An operation that is refused changes nothing.
//!
//! A table tier counts tables (one unit = one table of N seats). Specific
//! seats are held by name ([`Op::HoldSeats`]): a seat belongs to at most
//! one active or sold hold at a time, whichever tier of its section sells
//! it; giving a hold back or refunding a seat frees it.
//!
//! A hold may name its owners (opaque keys: the checkout session, the
//! client's address); the book counts the units each owner has in active
//! holds, in all and per tier ([`Book::held_by`]), so the writer can cap
//! what one buyer or one address holds before it applies a hold. The caps
//! are the writer's: the book never refuses for them, so a replayed
//! ledger is never refused under caps changed since.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// One tier's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stock {
    /// Units the tier sells in total.
    pub capacity: i64,
    /// Units neither held nor sold.
    pub available: i64,
    /// Units in active holds.
    pub held: i64,
    /// Units sold (and not refunded).
    pub sold: i64,
}

/// Where a hold is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoldState {
    /// Reserved until `expires_at`.
    Active,
    /// Given back by the buyer or a failed payment.
    Released,
    /// Given back because its time ran out.
    Expired,
    /// Paid: its units are sold.
    Sold,
}

/// A hold on units of one tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// The tier.
    pub tier: String,
    /// Units held (or sold).
    pub quantity: i64,
    /// When it runs out while active.
    pub expires_at: Millis,
    /// Its state.
    pub state: HoldState,
    /// Units of a sold hold refunded so far.
    pub refunded: i64,
    /// Who holds it (checkout session, client address), as keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// Ids of the refunds applied to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<String>,
    /// The specific seats it holds (`<section>/<label>`), if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seats: Vec<String>,
    /// Its seats refunded so far.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunded_seats: Vec<String>,
}

/// An operation on the book; the ledger is the sequence of accepted ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// Sets a tier's capacity (creating the tier), never below sold + held.
    SetCapacity {
        /// The tier.
        tier: String,
        /// Its new capacity.
        capacity: i64,
    },
    /// Holds `quantity` units of `tier` until `expires_at`.
    Hold {
        /// Idempotency key (the checkout's hold id).
        hold: String,
        /// The tier.
        tier: String,
        /// Units.
        quantity: i64,
        /// When it runs out.
        expires_at: Millis,
        /// Who holds it (see [`Book::held_by`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        owners: Vec<String>,
    },
    /// The buyer gave the hold up, or its payment failed.
    Release {
        /// The hold.
        hold: String,
    },
    /// Gives back every active hold that ran out by `now`.
    Expire {
        /// The time of the sweep.
        now: Millis,
    },
    /// The hold's payment succeeded.
    Sell {
        /// The hold.
        hold: String,
    },
    /// Holds these specific seats (`<section>/<label>`) of `tier` until
    /// `expires_at`; its quantity is the number of seats.
    HoldSeats {
        /// Idempotency key (the checkout's hold id).
        hold: String,
        /// The tier.
        tier: String,
        /// The seats.
        seats: Vec<String>,
        /// When it runs out.
        expires_at: Millis,
        /// Who holds it (see [`Book::held_by`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        owners: Vec<String>,
    },
    /// Returns sold seats of a seated hold to sale.
    RefundSeats {
        /// Idempotency key of the refund.
        refund: String,
        /// The hold.
        hold: String,
        /// Its seats to return.
        seats: Vec<String>,
    },
    /// Returns `quantity` sold units of a hold to sale.
    Refund {
        /// Idempotency key of the refund (a retried refund changes
        /// nothing).
        refund: String,
        /// The hold.
        hold: String,
        /// Units refunded.
        quantity: i64,
    },
}

/// What an accepted operation did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Done {
    /// Capacity set; `delta` was added to available.
    Capacity {
        /// Change of available units.
        delta: i64,
    },
    /// The hold exists (new, or the same one again).
    Held {
        /// Whether this call created it (false: a retry).
        new: bool,
        /// When it runs out.
        expires_at: Millis,
    },
    /// The units are back for sale (or already were).
    Released,
    /// Holds given back by an expiry sweep.
    Expired {
        /// Their ids.
        holds: Vec<String>,
    },
    /// Sold; `late` when the hold had expired or been released and its
    /// units were taken again from what was available.
    Sold {
        /// Sold after the hold had ended.
        late: bool,
    },
    /// Refunded units are available again.
    Refunded,
}

/// Why an operation was refused (and changed nothing).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Refused {
    /// The tier is not for sale in this event.
    #[error("tier {0} does not exist")]
    UnknownTier(String),
    /// No such hold.
    #[error("hold {0} does not exist")]
    UnknownHold(String),
    /// A quantity of 0 or less.
    #[error("quantity must be at least 1")]
    BadQuantity,
    /// Not enough left.
    #[error("only {available} left of tier {tier}")]
    NotEnough {
        /// The tier.
        tier: String,
        /// Units still available.
        available: i64,
    },
    /// The same hold id was used for a different hold.
    #[error("hold {0} exists with another tier or quantity")]
    Conflict(String),
    /// The hold was released or expired: a new hold is needed.
    #[error("hold {0} has ended (released or expired): place a new hold")]
    HoldEnded(String),
    /// A payment arrived after the hold ended and its units were sold to
    /// someone else meanwhile: the payment must be refunded.
    #[error("hold {0} ended and its units are gone: refund the payment")]
    LatePaymentSoldOut(String),
    /// Releasing a hold that is paid for (refund it instead).
    #[error("hold {0} is sold: refund it instead")]
    AlreadySold(String),
    /// Refunding what was not sold.
    #[error("hold {hold} has only {refundable} refundable units")]
    RefundTooLarge {
        /// The hold.
        hold: String,
        /// Units still refundable.
        refundable: i64,
    },
    /// A seat held or sold by someone else.
    #[error("seat {0} is taken")]
    SeatTaken(String),
    /// Seats named wrongly: twice, not in the hold, or missing where the
    /// hold is seated.
    #[error("{0}")]
    BadSeats(String),
    /// A capacity below what is sold and held.
    #[error("tier {tier} capacity {capacity} is below sold + held ({taken})")]
    CapacityBelowTaken {
        /// The tier.
        tier: String,
        /// The refused capacity.
        capacity: i64,
        /// Sold + held.
        taken: i64,
    },
}

/// A broken invariant, found by [`Book::check`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("tier {tier}: {what}")]
pub struct Violation {
    /// The tier.
    pub tier: String,
    /// What is wrong.
    pub what: String,
}

/// The counts and holds of one event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Book {
    tiers: BTreeMap<String, Stock>,
    holds: HashMap<String, Hold>,
    /// Who has each seat taken: `<section>/<label>` → hold id.
    #[serde(default)]
    seats: HashMap<String, String>,
    /// Units in active holds per owner key, in all (`key`) and per tier
    /// (`key` TAB `tier`); owners holding nothing are not kept.
    #[serde(default)]
    held_by: HashMap<String, i64>,
}

/// The [`Book::held_by`] key of an owner's units of one tier.
fn per_tier(owner: &str, tier: &str) -> String {
    format!("{owner}\t{tier}")
}

impl Book {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rebuilds a book from its ledger (the accepted operations in order).
    pub fn replay<'a>(ops: impl IntoIterator<Item = &'a Op>) -> Self {
        let mut b = Book::new();
        for op in ops {
            // A ledger holds accepted operations only; replaying one
            // cannot be refused.
            let _ = b.apply(op);
        }
        b
    }

    /// A tier's counts.
    pub fn stock(&self, tier: &str) -> Option<Stock> {
        self.tiers.get(tier).copied()
    }

    /// Every tier's counts, by tier name.
    pub fn tiers(&self) -> impl Iterator<Item = (&String, &Stock)> {
        self.tiers.iter()
    }

    /// A hold.
    pub fn hold(&self, id: &str) -> Option<&Hold> {
        self.holds.get(id)
    }

    /// The taken seats of `section`: each one's label (without the
    /// `<section>/` prefix) and whether it is sold (else held).
    pub fn taken_seats(&self, section: &str) -> Vec<(String, bool)> {
        let prefix = format!("{section}/");
        self.seats
            .iter()
            .filter_map(|(seat, hold)| {
                let label = seat.strip_prefix(&prefix)?;
                let sold = self
                    .holds
                    .get(hold)
                    .is_some_and(|h| h.state == HoldState::Sold);
                Some((label.to_owned(), sold))
            })
            .collect()
    }

    /// Units `owner` has in active holds: of `tier`, or in all.
    pub fn held_by(&self, owner: &str, tier: Option<&str>) -> i64 {
        let n = match tier {
            Some(t) => self.held_by.get(&per_tier(owner, t)),
            None => self.held_by.get(owner),
        };
        n.copied().unwrap_or(0)
    }

    fn count_owners(&mut self, owners: &[String], tier: &str, delta: i64) {
        for owner in owners {
            for key in [owner.clone(), per_tier(owner, tier)] {
                let n = self.held_by.entry(key.clone()).or_default();
                *n += delta;
                if *n == 0 {
                    self.held_by.remove(&key);
                }
            }
        }
    }

    /// Applies `op`: `Ok` when accepted (append it to the ledger), `Err`
    /// when refused (nothing changed).
    pub fn apply(&mut self, op: &Op) -> Result<Done, Refused> {
        match op {
            Op::SetCapacity { tier, capacity } => self.set_capacity(tier, *capacity),
            Op::Hold {
                hold,
                tier,
                quantity,
                expires_at,
                owners,
            } => self.place(hold, tier, *quantity, *expires_at, &[], owners),
            Op::HoldSeats {
                hold,
                tier,
                seats,
                expires_at,
                owners,
            } => self.place(hold, tier, seats.len() as i64, *expires_at, seats, owners),
            Op::RefundSeats {
                refund,
                hold,
                seats,
            } => self.refund_seats(refund, hold, seats),
            Op::Release { hold } => self.release(hold),
            Op::Expire { now } => Ok(self.expire(*now)),
            Op::Sell { hold } => self.sell(hold),
            Op::Refund {
                refund,
                hold,
                quantity,
            } => self.refund(refund, hold, *quantity),
        }
    }

    fn set_capacity(&mut self, tier: &str, capacity: i64) -> Result<Done, Refused> {
        let taken = self.tiers.get(tier).map_or(0, |s| s.sold + s.held);
        if capacity < taken {
            return Err(Refused::CapacityBelowTaken {
                tier: tier.into(),
                capacity,
                taken,
            });
        }
        let s = self.tiers.entry(tier.to_owned()).or_default();
        let delta = capacity - s.capacity;
        s.capacity = capacity;
        s.available += delta;
        Ok(Done::Capacity { delta })
    }

    fn place(
        &mut self,
        id: &str,
        tier: &str,
        quantity: i64,
        expires_at: Millis,
        seats: &[String],
        owners: &[String],
    ) -> Result<Done, Refused> {
        if let Some(h) = self.holds.get(id) {
            return if h.tier != tier || h.quantity != quantity || h.seats != seats {
                Err(Refused::Conflict(id.into()))
            } else if matches!(h.state, HoldState::Released | HoldState::Expired) {
                // A retry must not send the buyer on to pay for units that
                // are no longer theirs.
                Err(Refused::HoldEnded(id.into()))
            } else {
                Ok(Done::Held {
                    new: false,
                    expires_at: h.expires_at,
                })
            };
        }
        if quantity < 1 {
            return Err(Refused::BadQuantity);
        }
        let s = self
            .tiers
            .get_mut(tier)
            .ok_or_else(|| Refused::UnknownTier(tier.into()))?;
        if s.available < quantity {
            return Err(Refused::NotEnough {
                tier: tier.into(),
                available: s.available,
            });
        }
        for (i, seat) in seats.iter().enumerate() {
            if seats[..i].contains(seat) {
                return Err(Refused::BadSeats(format!("seat {seat} is named twice")));
            }
            if self.seats.contains_key(seat) {
                return Err(Refused::SeatTaken(seat.clone()));
            }
        }
        s.available -= quantity;
        s.held += quantity;
        for seat in seats {
            self.seats.insert(seat.clone(), id.to_owned());
        }
        self.count_owners(owners, tier, quantity);
        self.holds.insert(
            id.into(),
            Hold {
                tier: tier.into(),
                quantity,
                expires_at,
                state: HoldState::Active,
                refunded: 0,
                owners: owners.to_vec(),
                refunds: vec![],
                seats: seats.to_vec(),
                refunded_seats: vec![],
            },
        );
        Ok(Done::Held {
            new: true,
            expires_at,
        })
    }

    /// Ends an active hold, giving its units back.
    fn give_back(&mut self, id: &str, to: HoldState) {
        if let Some(h) = self.holds.get_mut(id)
            && h.state == HoldState::Active
        {
            h.state = to;
            if let Some(s) = self.tiers.get_mut(&h.tier) {
                s.held -= h.quantity;
                s.available += h.quantity;
            }
            for seat in &h.seats {
                self.seats.remove(seat);
            }
            let (owners, tier, q) = (h.owners.clone(), h.tier.clone(), h.quantity);
            self.count_owners(&owners, &tier, -q);
        }
    }

    fn release(&mut self, id: &str) -> Result<Done, Refused> {
        match self.holds.get(id).map(|h| h.state) {
            None => Err(Refused::UnknownHold(id.into())),
            Some(HoldState::Sold) => Err(Refused::AlreadySold(id.into())),
            Some(_) => {
                self.give_back(id, HoldState::Released);
                Ok(Done::Released)
            }
        }
    }

    fn expire(&mut self, now: Millis) -> Done {
        let mut due: Vec<String> = self
            .holds
            .iter()
            .filter(|(_, h)| h.state == HoldState::Active && h.expires_at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        due.sort();
        for id in &due {
            self.give_back(id, HoldState::Expired);
        }
        Done::Expired { holds: due }
    }

    fn sell(&mut self, id: &str) -> Result<Done, Refused> {
        let h = self
            .holds
            .get(id)
            .ok_or_else(|| Refused::UnknownHold(id.into()))?;
        let (tier, q) = (h.tier.clone(), h.quantity);
        match h.state {
            HoldState::Sold => Ok(Done::Sold { late: false }),
            HoldState::Active => {
                let owners = h.owners.clone();
                let s = self.tiers.get_mut(&tier).expect("a hold's tier exists");
                s.held -= q;
                s.sold += q;
                self.holds.get_mut(id).expect("present").state = HoldState::Sold;
                self.count_owners(&owners, &tier, -q);
                Ok(Done::Sold { late: false })
            }
            HoldState::Released | HoldState::Expired => {
                let seats = h.seats.clone();
                let s = self.tiers.get_mut(&tier).expect("a hold's tier exists");
                if s.available < q || seats.iter().any(|x| self.seats.contains_key(x)) {
                    return Err(Refused::LatePaymentSoldOut(id.into()));
                }
                s.available -= q;
                s.sold += q;
                for seat in seats {
                    self.seats.insert(seat, id.to_owned());
                }
                self.holds.get_mut(id).expect("present").state = HoldState::Sold;
                Ok(Done::Sold { late: true })
            }
        }
    }

    fn refund(&mut self, refund: &str, id: &str, quantity: i64) -> Result<Done, Refused> {
        if quantity < 1 {
            return Err(Refused::BadQuantity);
        }
        let h = self
            .holds
            .get_mut(id)
            .ok_or_else(|| Refused::UnknownHold(id.into()))?;
        if h.refunds.iter().any(|r| r == refund) {
            return Ok(Done::Refunded);
        }
        if !h.seats.is_empty() {
            return Err(Refused::BadSeats(format!(
                "hold {id} is seated: name the seats to refund"
            )));
        }
        let refundable = if h.state == HoldState::Sold {
            h.quantity - h.refunded
        } else {
            0
        };
        if quantity > refundable {
            return Err(Refused::RefundTooLarge {
                hold: id.into(),
                refundable,
            });
        }
        h.refunded += quantity;
        h.refunds.push(refund.into());
        let s = self.tiers.get_mut(&h.tier).expect("a hold's tier exists");
        s.sold -= quantity;
        s.available += quantity;
        Ok(Done::Refunded)
    }

    fn refund_seats(&mut self, refund: &str, id: &str, seats: &[String]) -> Result<Done, Refused> {
        let h = self
            .holds
            .get(id)
            .ok_or_else(|| Refused::UnknownHold(id.into()))?;
        if h.refunds.iter().any(|r| r == refund) {
            return Ok(Done::Refunded);
        }
        if seats.is_empty() {
            return Err(Refused::BadQuantity);
        }
        for (i, seat) in seats.iter().enumerate() {
            if seats[..i].contains(seat) || !h.seats.contains(seat) {
                return Err(Refused::BadSeats(format!(
                    "seat {seat} is not (or twice) in hold {id}"
                )));
            }
            if h.state != HoldState::Sold || h.refunded_seats.contains(seat) {
                return Err(Refused::RefundTooLarge {
                    hold: id.into(),
                    refundable: if h.state == HoldState::Sold {
                        h.quantity - h.refunded
                    } else {
                        0
                    },
                });
            }
        }
        let q = seats.len() as i64;
        let h = self.holds.get_mut(id).expect("present");
        h.refunded += q;
        h.refunds.push(refund.into());
        h.refunded_seats.extend(seats.iter().cloned());
        let tier = h.tier.clone();
        for seat in seats {
            self.seats.remove(seat);
        }
        let s = self.tiers.get_mut(&tier).expect("a hold's tier exists");
        s.sold -= q;
        s.available += q;
        Ok(Done::Refunded)
    }

    /// Checks every invariant from the holds (the ledger's view) against
    /// the counters: per tier, held = Σ active holds, sold = Σ sold holds −
    /// refunds, sold + held + available = capacity, nothing negative.
    pub fn check(&self) -> Result<(), Violation> {
        let mut held: HashMap<&str, i64> = HashMap::new();
        let mut sold: HashMap<&str, i64> = HashMap::new();
        for h in self.holds.values() {
            match h.state {
                HoldState::Active => *held.entry(&h.tier).or_default() += h.quantity,
                HoldState::Sold => *sold.entry(&h.tier).or_default() += h.quantity - h.refunded,
                _ => {}
            }
        }
        // Every taken seat belongs to its hold, and every seat of an active
        // or sold hold (not refunded) is taken by it.
        for (seat, owner) in &self.seats {
            let ok = self.holds.get(owner).is_some_and(|h| {
                matches!(h.state, HoldState::Active | HoldState::Sold)
                    && h.seats.contains(seat)
                    && !h.refunded_seats.contains(seat)
            });
            if !ok {
                return Err(Violation {
                    tier: String::new(),
                    what: format!("seat {seat} is taken by {owner}, which does not hold it"),
                });
            }
        }
        for (id, h) in &self.holds {
            if matches!(h.state, HoldState::Active | HoldState::Sold) {
                for seat in h.seats.iter().filter(|s| !h.refunded_seats.contains(s)) {
                    if self.seats.get(seat) != Some(id) {
                        return Err(Violation {
                            tier: h.tier.clone(),
                            what: format!("seat {seat} of hold {id} is not marked taken"),
                        });
                    }
                }
            }
        }
        // Each owner's count is the sum of its active holds.
        let mut by_owner: HashMap<String, i64> = HashMap::new();
        for h in self.holds.values().filter(|h| h.state == HoldState::Active) {
            for owner in &h.owners {
                *by_owner.entry(owner.clone()).or_default() += h.quantity;
                *by_owner.entry(per_tier(owner, &h.tier)).or_default() += h.quantity;
            }
        }
        if by_owner != self.held_by {
            return Err(Violation {
                tier: String::new(),
                what: format!(
                    "units held per owner {:?} differ from the active holds' {by_owner:?}",
                    self.held_by
                ),
            });
        }
        for (tier, s) in &self.tiers {
            let fail = |what: String| {
                Err(Violation {
                    tier: tier.clone(),
                    what,
                })
            };
            if s.available < 0 || s.held < 0 || s.sold < 0 {
                return fail(format!("negative count {s:?}"));
            }
            if s.sold + s.held + s.available != s.capacity {
                return fail(format!("sold + held + available != capacity: {s:?}"));
            }
            let h = held.get(tier.as_str()).copied().unwrap_or(0);
            if h != s.held {
                return fail(format!("held {} but active holds sum to {h}", s.held));
            }
            let so = sold.get(tier.as_str()).copied().unwrap_or(0);
            if so != s.sold {
                return fail(format!("sold {} but sold holds sum to {so}", s.sold));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
