//! Tickets: the compact, Ed25519-signed payload a ticket's QR code carries,
//! so that a scanner can verify it offline with public keys only.
//!
//! The byte layout, the text encoding (base45, QR alphanumeric mode), the
//! key files and the rotation procedure are documented in
//! `docs/ticket-format.md`. In short, format version 1 is 107 bytes:
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 1 | format version, `1` |
//! | 1 | 1 | key id (0–255) |
//! | 2 | 16 | event id: the Event's `metadata.uid` |
//! | 18 | 16 | ticket id |
//! | 34 | 4 | tier: first 4 bytes of SHA-256 of the TicketTier's name |
//! | 38 | 4 | valid days: big-endian bitmask, bit 0 = day 1 |
//! | 42 | 1 | admits: people admitted (1, or a table's seats) |
//! | 43 | 64 | Ed25519 signature over bytes 0..43 |
//!
//! encoded as base45 (RFC 9285): 161 characters, a version 7 QR code at
//! error-correction level M.
//!
//! Private keys come only from files (a mounted Kubernetes Secret: one
//! PKCS#8 PEM file per key id and a `current` file naming the signing key),
//! never from environment variables or custom resources; no `Debug` output
//! shows key material.

use std::collections::BTreeMap;
use std::fmt;
use std::num::{NonZeroU8, NonZeroU32};
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::spki::der::zeroize::Zeroizing;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use qrcode::{EcLevel, QrCode};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The format version this module writes (and the only one it reads).
pub const FORMAT_VERSION: u8 = 1;
/// Length of the signed part of a version 1 payload.
pub const BODY_LEN: usize = 43;
/// Length of a version 1 payload: body and signature.
pub const PAYLOAD_LEN: usize = BODY_LEN + SIGNATURE_LEN;
/// Length of a version 1 payload as text (base45).
pub const TEXT_LEN: usize = PAYLOAD_LEN / 2 * 3 + PAYLOAD_LEN % 2 * 2;
const SIGNATURE_LEN: usize = 64;

/// Error-correction level of ticket QR codes (see `docs/ticket-format.md`).
pub const QR_EC_LEVEL: EcLevel = EcLevel::M;
/// Pixels per QR module in [`qr_png`].
pub const PNG_MODULE_PX: usize = 8;
/// Modules of white border around a QR code (the standard's quiet zone).
const QUIET_ZONE: usize = 4;

/// Which signing key signed a ticket: 0–255, never reused for a new key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(pub u8);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for KeyId {
    type Err = KeyError;

    /// Canonical decimal only (`7`, not `07` or `+7`), so that one key id
    /// has one file name.
    fn from_str(s: &str) -> Result<Self, KeyError> {
        let canonical = !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_digit())
            && (s == "0" || !s.starts_with('0'));
        match s.parse::<u8>() {
            Ok(id) if canonical => Ok(KeyId(id)),
            _ => Err(KeyError::BadKeyId(s.to_owned())),
        }
    }
}

/// A tier as the payload carries it: the first 4 bytes of SHA-256 of the
/// TicketTier's `metadata.name`. The scanner resolves it against the
/// event's tiers, which it holds anyway (names, sections, day schedule).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TierHash(pub [u8; 4]);

impl TierHash {
    /// The hash of a tier name (the TicketTier's `metadata.name`).
    pub fn of(tier_name: &str) -> Self {
        let digest = Sha256::digest(tier_name.as_bytes());
        TierHash([digest[0], digest[1], digest[2], digest[3]])
    }
}

impl fmt::Debug for TierHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TierHash({self})")
    }
}

impl fmt::Display for TierHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// The days of the event (numbered from 1, as in the TicketTier's
/// `validDays`) a ticket is valid on: bit `d - 1` for day `d`, so days 1 to
/// 32. Never empty.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ValidDays(NonZeroU32);

impl ValidDays {
    /// From the bitmask (bit 0 = day 1); `None` if it is 0.
    pub fn from_mask(mask: u32) -> Option<Self> {
        NonZeroU32::new(mask).map(ValidDays)
    }

    /// From day numbers (1–32); `None` if there are none or one is out of
    /// range.
    pub fn from_days(days: impl IntoIterator<Item = u8>) -> Option<Self> {
        let mut mask = 0u32;
        for day in days {
            if !(1..=32).contains(&day) {
                return None;
            }
            mask |= 1 << (day - 1);
        }
        Self::from_mask(mask)
    }

    /// Every day of an event of `days` days (1–32).
    pub fn all(days: u8) -> Option<Self> {
        Self::from_days(1..=days)
    }

    /// The bitmask (bit 0 = day 1).
    pub fn mask(self) -> u32 {
        self.0.get()
    }

    /// Whether the ticket is valid on day `day` (from 1).
    pub fn contains(self, day: u8) -> bool {
        (1..=32).contains(&day) && self.mask() & (1 << (day - 1)) != 0
    }

    /// The day numbers, ascending.
    pub fn days(self) -> impl Iterator<Item = u8> {
        (1..=32u8).filter(move |&d| self.contains(d))
    }
}

impl fmt::Debug for ValidDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.days()).finish()
    }
}

/// What a ticket's QR code says, once its signature has been checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TicketClaims {
    /// The Event's `metadata.uid`.
    pub event: Uuid,
    /// The ticket's id.
    pub ticket: Uuid,
    /// The tier, as [`TierHash::of`] its name.
    pub tier: TierHash,
    /// The event days the ticket admits on.
    pub days: ValidDays,
    /// People admitted per scan: 1, or a table's seats when a table is
    /// sold as one ticket.
    pub admits: NonZeroU8,
}

impl TicketClaims {
    /// Whether this ticket admits to `event` on day `day` (from 1): the
    /// scanner's WrongEvent and WrongDay answers. Checks the event first.
    pub fn check(&self, event: Uuid, day: u8) -> Result<(), TicketError> {
        if self.event != event {
            return Err(TicketError::WrongEvent {
                expected: event,
                found: self.event,
            });
        }
        if !self.days.contains(day) {
            return Err(TicketError::WrongDay {
                day,
                valid: self.days,
            });
        }
        Ok(())
    }

    fn body(&self, key_id: KeyId) -> [u8; BODY_LEN] {
        let mut b = [0u8; BODY_LEN];
        b[0] = FORMAT_VERSION;
        b[1] = key_id.0;
        b[2..18].copy_from_slice(self.event.as_bytes());
        b[18..34].copy_from_slice(self.ticket.as_bytes());
        b[34..38].copy_from_slice(&self.tier.0);
        b[38..42].copy_from_slice(&self.days.mask().to_be_bytes());
        b[42] = self.admits.get();
        b
    }

    fn parse_body(b: &[u8; BODY_LEN]) -> Result<Self, TicketError> {
        let uuid = |at: usize| Uuid::from_bytes(b[at..at + 16].try_into().expect("16 bytes"));
        let mask = u32::from_be_bytes(b[38..42].try_into().expect("4 bytes"));
        Ok(TicketClaims {
            event: uuid(2),
            ticket: uuid(18),
            tier: TierHash(b[34..38].try_into().expect("4 bytes")),
            days: ValidDays::from_mask(mask).ok_or(TicketError::Malformed("no valid day"))?,
            admits: NonZeroU8::new(b[42]).ok_or(TicketError::Malformed("admits nobody"))?,
        })
    }
}

/// Why a ticket's text was refused. For the scanner, [`WrongEvent`] and
/// [`WrongDay`] are their own answers; every other variant is Invalid.
///
/// [`WrongEvent`]: TicketError::WrongEvent
/// [`WrongDay`]: TicketError::WrongDay
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// Not base45, the wrong length, or a field out of range.
    #[error("malformed ticket: {0}")]
    Malformed(&'static str),
    /// A format version this build does not read.
    #[error("unsupported ticket format version {0}")]
    UnsupportedVersion(u8),
    /// Signed with a key id whose public key is not (or no longer) known.
    #[error("ticket signed with unknown key id {0}")]
    UnknownKey(KeyId),
    /// The signature does not match: forged or altered.
    #[error("ticket signature does not verify")]
    BadSignature,
    /// A genuine ticket for another event.
    #[error("ticket is for event {found}, not {expected}")]
    WrongEvent {
        /// The event being scanned for.
        expected: Uuid,
        /// The event on the ticket.
        found: Uuid,
    },
    /// A genuine ticket for this event, not valid today.
    #[error("ticket is not valid on day {day} (valid on {valid:?})")]
    WrongDay {
        /// The event day being scanned for (from 1).
        day: u8,
        /// The days the ticket is valid on.
        valid: ValidDays,
    },
}

impl TicketError {
    /// Whether the scanner answers Invalid (as opposed to WrongEvent or
    /// WrongDay, which concern genuine tickets).
    pub fn is_invalid(&self) -> bool {
        !matches!(
            self,
            TicketError::WrongEvent { .. } | TicketError::WrongDay { .. }
        )
    }
}

/// Why keys could not be loaded. Never contains key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A key file or the `current` file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A file is not a PKCS#8 PEM Ed25519 key of the expected kind.
    #[error("{path} is not a PEM {expected} Ed25519 key")]
    BadPem {
        /// The file.
        path: PathBuf,
        /// `PKCS#8 private` or `SPKI public`.
        expected: &'static str,
    },
    /// A key id that is not canonical decimal 0–255.
    #[error("{0:?} is not a key id (decimal 0-255, no leading zeros)")]
    BadKeyId(String),
    /// The directory names no key, or `current` names a missing one.
    #[error("no key {key_id} in {dir}")]
    MissingKey {
        /// The directory.
        dir: PathBuf,
        /// The key id looked for.
        key_id: String,
    },
    /// `<id>.pem` and `<id>.pub.pem` disagree.
    #[error("{private} and {public} are not the same key")]
    Mismatch {
        /// The private key file.
        private: PathBuf,
        /// The public key file.
        public: PathBuf,
    },
}

/// The name of the file, in a key directory, that holds the current key id.
pub const CURRENT_FILE: &str = "current";

/// The key directory of organization `namespace` under `dir`: its own
/// subdirectory `<dir>/<namespace>` when there is one, so that an
/// organization's keys sign and verify its tickets only, and a key that
/// leaks forges no other organization's tickets. Without the
/// subdirectory, `dir` itself: one set of keys for every organization
/// (the caller warns). Key ids are then per organization: `1` of one
/// organization is not `1` of another.
pub fn organization_key_dir(dir: &Path, namespace: &str) -> (PathBuf, bool) {
    let own = dir.join(namespace);
    // A namespace is a DNS label: never `..`, `.` or a path.
    let is_label = !namespace.is_empty()
        && namespace
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if is_label && own.is_dir() {
        (own, true)
    } else {
        (dir.to_owned(), false)
    }
}

/// Signs tickets with the current key. Its `Debug` shows the key id and the
/// public key only.
pub struct Signer {
    key_id: KeyId,
    key: SigningKey,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .field("public_key", &PublicKeyHex(&self.key.verifying_key()))
            .field("private_key", &"<redacted>")
            .finish()
    }
}

struct PublicKeyHex<'a>(&'a VerifyingKey);

impl fmt::Debug for PublicKeyHex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .as_bytes()
            .iter()
            .try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl Signer {
    /// A signer for a key already in memory (tests, tools).
    pub fn new(key_id: KeyId, key: SigningKey) -> Self {
        Signer { key_id, key }
    }

    /// Reads a PKCS#8 PEM private key file (`-----BEGIN PRIVATE KEY-----`,
    /// as `openssl genpkey -algorithm ed25519` writes).
    pub fn from_pem_file(key_id: KeyId, path: &Path) -> Result<Self, KeyError> {
        Ok(Signer::new(key_id, read_private_key(path)?))
    }

    /// Reads the current key from a key directory (a mounted Secret): the
    /// key id in the file `current`, the key in `<id>.pem`.
    pub fn from_dir(dir: &Path) -> Result<Self, KeyError> {
        let path = dir.join(CURRENT_FILE);
        let current = std::fs::read_to_string(&path).map_err(|source| KeyError::Io {
            path: path.clone(),
            source,
        })?;
        let key_id: KeyId = current.trim().parse()?;
        let path = dir.join(format!("{key_id}.pem"));
        if !path.exists() {
            return Err(KeyError::MissingKey {
                dir: dir.to_owned(),
                key_id: key_id.to_string(),
            });
        }
        Signer::from_pem_file(key_id, &path)
    }

    /// The id of the key this signer signs with.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The public key scanners need to verify this signer's tickets.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`): the
    /// `<id>.pub.pem` file scanners load.
    pub fn public_key_pem(&self) -> String {
        self.verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("an Ed25519 public key always encodes")
    }

    /// The signed payload as bytes (see the module docs for the layout).
    pub fn sign_bytes(&self, claims: &TicketClaims) -> [u8; PAYLOAD_LEN] {
        let body = claims.body(self.key_id);
        let signature = self.key.sign(&body);
        let mut out = [0u8; PAYLOAD_LEN];
        out[..BODY_LEN].copy_from_slice(&body);
        out[BODY_LEN..].copy_from_slice(&signature.to_bytes());
        out
    }

    /// The ticket's QR text: the signed payload in base45 ([`TEXT_LEN`]
    /// characters of the QR alphanumeric set).
    pub fn sign(&self, claims: &TicketClaims) -> String {
        base45_encode(&self.sign_bytes(claims))
    }
}

/// Verifies tickets with public keys by key id. Keys stay until removed,
/// so tickets signed before a rotation keep verifying.
#[derive(Clone, Debug, Default)]
pub struct Verifier {
    keys: BTreeMap<KeyId, VerifyingKey>,
}

impl Verifier {
    /// A verifier that knows no key yet.
    pub fn new() -> Self {
        Verifier::default()
    }

    /// Adds (or replaces) the public key of `key_id`; returns the old one.
    pub fn insert(&mut self, key_id: KeyId, key: VerifyingKey) -> Option<VerifyingKey> {
        self.keys.insert(key_id, key)
    }

    /// Forgets `key_id`: its tickets become UnknownKey.
    pub fn remove(&mut self, key_id: KeyId) -> Option<VerifyingKey> {
        self.keys.remove(&key_id)
    }

    /// The key ids known, ascending.
    pub fn key_ids(&self) -> impl Iterator<Item = KeyId> + '_ {
        self.keys.keys().copied()
    }

    /// Each key id with its public key as SPKI PEM (what an offline
    /// scanner verifies with), ascending by key id.
    pub fn public_keys(&self) -> impl Iterator<Item = (KeyId, String)> + '_ {
        self.keys.iter().map(|(id, key)| {
            let pem = key
                .to_public_key_pem(LineEnding::LF)
                .expect("an Ed25519 public key encodes as PEM");
            (*id, pem)
        })
    }

    /// The public keys as their raw 32 bytes, by key id.
    pub fn raw_public_keys(&self) -> impl Iterator<Item = (KeyId, [u8; 32])> + '_ {
        self.keys.iter().map(|(id, key)| (*id, key.to_bytes()))
    }

    /// Loads every key of a directory: `<id>.pub.pem` (SPKI PEM public
    /// keys, what a scanner gets) and `<id>.pem` (PKCS#8 private keys, of
    /// which only the public half is kept: the checkout role's own Secret).
    /// Other files, and names starting with `.` (a mounted Secret's
    /// `..data`), are ignored; a `.pem` file whose stem is not a key id is
    /// an error. At least one key is required.
    pub fn from_dir(dir: &Path) -> Result<Self, KeyError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| KeyError::Io { path, source }
        };
        let mut private = BTreeMap::new();
        let mut public = BTreeMap::new();
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let entry = entry.map_err(io(dir))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            if let Some(stem) = name.strip_suffix(".pub.pem") {
                public.insert(stem.parse::<KeyId>()?, path);
            } else if let Some(stem) = name.strip_suffix(".pem") {
                private.insert(stem.parse::<KeyId>()?, path);
            }
        }
        let mut verifier = Verifier::new();
        for (&key_id, path) in &public {
            verifier.insert(key_id, read_public_key(path)?);
        }
        for (&key_id, path) in &private {
            let key = read_private_key(path)?.verifying_key();
            match verifier.insert(key_id, key) {
                Some(public_key) if public_key != key => {
                    return Err(KeyError::Mismatch {
                        private: path.clone(),
                        public: public[&key_id].clone(),
                    });
                }
                _ => {}
            }
        }
        if verifier.keys.is_empty() {
            return Err(KeyError::MissingKey {
                dir: dir.to_owned(),
                key_id: "(any)".into(),
            });
        }
        Ok(verifier)
    }

    /// Decodes a ticket's QR text and checks its signature. Checks, in
    /// order: base45 (Malformed), version (UnsupportedVersion), length
    /// (Malformed), key id (UnknownKey), signature (BadSignature, strict
    /// Ed25519 verification), then the fields (Malformed).
    pub fn verify(&self, text: &str) -> Result<TicketClaims, TicketError> {
        let bytes = base45_decode(text).ok_or(TicketError::Malformed("not base45"))?;
        self.verify_bytes(&bytes)
    }

    /// [`verify`](Self::verify) on the decoded payload bytes.
    pub fn verify_bytes(&self, bytes: &[u8]) -> Result<TicketClaims, TicketError> {
        match bytes.first() {
            None => return Err(TicketError::Malformed("empty")),
            Some(&FORMAT_VERSION) => {}
            Some(&v) => return Err(TicketError::UnsupportedVersion(v)),
        }
        let bytes: &[u8; PAYLOAD_LEN] = bytes
            .try_into()
            .map_err(|_| TicketError::Malformed("wrong length"))?;
        let (body, signature) = bytes.split_at(BODY_LEN);
        let body: &[u8; BODY_LEN] = body.try_into().expect("BODY_LEN bytes");
        let key_id = KeyId(body[1]);
        let key = self
            .keys
            .get(&key_id)
            .ok_or(TicketError::UnknownKey(key_id))?;
        let signature = Signature::from_slice(signature).map_err(|_| TicketError::BadSignature)?;
        key.verify_strict(body, &signature)
            .map_err(|_| TicketError::BadSignature)?;
        TicketClaims::parse_body(body)
    }

    /// Verifies, then checks the event and day: everything a scanner asks
    /// of the payload (first-scan-wins and revocation are the scan role's).
    pub fn verify_for(
        &self,
        text: &str,
        event: Uuid,
        day: u8,
    ) -> Result<TicketClaims, TicketError> {
        let claims = self.verify(text)?;
        claims.check(event, day)?;
        Ok(claims)
    }
}

fn read_pem(path: &Path) -> Result<Zeroizing<String>, KeyError> {
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|source| KeyError::Io {
            path: path.to_owned(),
            source,
        })
}

fn read_private_key(path: &Path) -> Result<SigningKey, KeyError> {
    SigningKey::from_pkcs8_pem(&read_pem(path)?).map_err(|_| KeyError::BadPem {
        path: path.to_owned(),
        expected: "PKCS#8 private",
    })
}

fn read_public_key(path: &Path) -> Result<VerifyingKey, KeyError> {
    VerifyingKey::from_public_key_pem(&read_pem(path)?).map_err(|_| KeyError::BadPem {
        path: path.to_owned(),
        expected: "SPKI public",
    })
}

// Base45, RFC 9285. Written here rather than taken from the `base45` crate
// because its decoder accepts non-canonical final pairs (any value up to
// 2024, truncated to a byte), which would let two texts carry one payload.
const BASE45: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn base45_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    for chunk in bytes.chunks(2) {
        let (mut n, digits) = match *chunk {
            [a, b] => (usize::from(a) * 256 + usize::from(b), 3),
            [a] => (usize::from(a), 2),
            _ => unreachable!("chunks of 1 or 2"),
        };
        for _ in 0..digits {
            out.push(char::from(BASE45[n % 45]));
            n /= 45;
        }
    }
    out
}

fn base45_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| BASE45.iter().position(|&d| d == c);
    let mut out = Vec::with_capacity(text.len() / 3 * 2 + 1);
    for chunk in text.as_bytes().chunks(3) {
        let mut n = 0usize;
        for &c in chunk.iter().rev() {
            n = n * 45 + digit(c)?;
        }
        match chunk.len() {
            3 if n <= 0xFFFF => out.extend_from_slice(&(n as u16).to_be_bytes()),
            2 if n <= 0xFF => out.push(n as u8),
            _ => return None,
        }
    }
    Some(out)
}

/// Why a QR image could not be made.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text does not fit a QR code at all.
    #[error("text does not fit a QR code: {0}")]
    Encode(#[from] qrcode::types::QrError),
    /// PNG encoding failed.
    #[error("PNG encoding: {0}")]
    Png(#[from] png::EncodingError),
}

/// The QR code of a ticket's text at [`QR_EC_LEVEL`]; base45 text is
/// encoded in alphanumeric mode.
pub fn qr_code(text: &str) -> Result<QrCode, QrError> {
    Ok(QrCode::with_error_correction_level(
        text.as_bytes(),
        QR_EC_LEVEL,
    )?)
}

/// The ticket's QR code as a 1-bit greyscale PNG, [`PNG_MODULE_PX`] pixels
/// per module with a 4-module quiet zone (424 × 424 pixels, about 1 KB,
/// for a version 7 code): the inline image of ticket e-mails.
pub fn qr_png(text: &str) -> Result<Vec<u8>, QrError> {
    let code = qr_code(text)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * PNG_MODULE_PX;
    let row_bytes = side.div_ceil(8);
    let mut pixels = vec![0xFFu8; row_bytes * side];
    for y in 0..modules {
        for x in 0..modules {
            if colors[y * modules + x] != qrcode::Color::Dark {
                continue;
            }
            for py in 0..PNG_MODULE_PX {
                let row = (QUIET_ZONE + y) * PNG_MODULE_PX + py;
                for px in 0..PNG_MODULE_PX {
                    let col = (QUIET_ZONE + x) * PNG_MODULE_PX + px;
                    pixels[row * row_bytes + col / 8] &= !(0x80 >> (col % 8));
                }
            }
        }
    }
    let side = u32::try_from(side).expect("a QR code is at most 177 modules");
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

/// The ticket's QR code as an SVG document (black on white, quiet zone
/// included), for the web and printable tickets.
pub fn qr_svg(text: &str) -> Result<String, QrError> {
    Ok(qr_code(text)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build())
}

#[cfg(test)]
mod tests;
