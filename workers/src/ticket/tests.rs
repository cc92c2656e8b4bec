use super::*;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use proptest::prelude::*;

const EVENT: Uuid = Uuid::from_u128(0x6f1c_2a7e_93d4_4b0a_9c51_7e2d_8a4f_0b13);
const OTHER_EVENT: Uuid = Uuid::from_u128(0x0d9e_41c2_5b7a_4e3f_8a10_c6b4_2f97_e851);

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn signer(id: u8, seed: u8) -> Signer {
    Signer::new(KeyId(id), key(seed))
}

fn verifier(signers: &[&Signer]) -> Verifier {
    let mut v = Verifier::new();
    for s in signers {
        v.insert(s.key_id(), s.verifying_key());
    }
    v
}

/// A realistic ticket: a weekend pass of the two-day example festival.
fn claims() -> TicketClaims {
    TicketClaims {
        event: EVENT,
        ticket: Uuid::from_u128(0x0197_5c3e_8b2a_7d41_a3f0_5e6b_9c12_d4e7),
        tier: TierHash::of("weekend-pass"),
        days: ValidDays::all(2).unwrap(),
        admits: NonZeroU8::MIN,
    }
}

/// Decodes a PNG with the `png` crate and reads it with rqrr.
fn read_qr_png(png_bytes: &[u8]) -> (rqrr::MetaData, String) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * info.line_size + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap()
}

#[test]
fn base45_matches_rfc_9285_examples() {
    assert_eq!(base45_encode(b"AB"), "BB8");
    assert_eq!(base45_encode(b"Hello!!"), "%69 VD92EX0");
    assert_eq!(base45_encode(b"base-45"), "UJCLQE7W581");
    assert_eq!(base45_decode("QED8WEX0").unwrap(), b"ietf!");
    assert_eq!(base45_decode("").unwrap(), b"");
    // RFC 9285 §6: values above the range are errors, not truncated.
    assert_eq!(base45_decode("GGW"), None); // 65535 + 1
    assert_eq!(base45_decode("FGW").unwrap(), [0xFF, 0xFF]);
    assert_eq!(base45_decode("V5"), None); // 255 + 1
    assert_eq!(base45_decode("U5").unwrap(), [0xFF]);
    assert_eq!(base45_decode("A"), None);
    assert_eq!(base45_decode("bb8"), None);
}

#[test]
fn sign_png_decode_verify_round_trip() {
    let s = signer(3, 1);
    let text = s.sign(&claims());
    assert_eq!(text.len(), TEXT_LEN);
    assert_eq!(TEXT_LEN, 161);
    let png = qr_png(&text).unwrap();
    let (meta, read) = read_qr_png(&png);
    assert_eq!(read, text);
    // The figures docs/ticket-format.md quotes.
    assert_eq!(meta.version.0, 7);
    assert_eq!(
        qr_code(&text).unwrap().version(),
        qrcode::Version::Normal(7)
    );
    assert!(png.len() < 2000, "PNG is {} bytes", png.len());
    let got = verifier(&[&s]).verify(&read).unwrap();
    assert_eq!(got, claims());
    assert_eq!(got.tier, TierHash::of("weekend-pass"));
    assert_ne!(got.tier, TierHash::of("day-ticket"));
}

#[test]
fn no_ticket_needs_more_than_a_version_7_m_code() {
    // The text is always TEXT_LEN base45 characters. With no digit run
    // for a numeric-mode segment it needs version 7, the most;
    // digit runs (here: all-zero fields) can only make it smaller.
    let worst = "A".repeat(TEXT_LEN);
    assert_eq!(
        qr_code(&worst).unwrap().version(),
        qrcode::Version::Normal(7)
    );
    let one_more = "A".repeat(TEXT_LEN + 18);
    assert_eq!(
        qr_code(&one_more).unwrap().version(),
        qrcode::Version::Normal(8)
    );
    for fill in [0x00, 0xFF] {
        let extreme = TicketClaims {
            event: Uuid::from_bytes([fill; 16]),
            ticket: Uuid::from_bytes([fill; 16]),
            tier: TierHash([fill; 4]),
            days: ValidDays::from_mask(u32::from_be_bytes([fill | 1; 4])).unwrap(),
            admits: NonZeroU8::new(fill | 1).unwrap(),
        };
        let text = Signer::new(KeyId(fill), key(fill)).sign(&extreme);
        let code = qr_code(&text).unwrap();
        assert!(
            matches!(code.version(), qrcode::Version::Normal(1..=7)),
            "{:?}",
            code.version()
        );
    }
}

#[test]
fn svg_is_an_svg_document() {
    let svg = qr_svg(&signer(3, 1).sign(&claims())).unwrap();
    assert!(svg.starts_with("<?xml"), "{}", &svg[..40]);
    assert!(svg.contains("<svg") && svg.contains("</svg>"));
}

#[test]
fn every_flipped_bit_is_refused() {
    let s = signer(3, 1);
    let v = verifier(&[&s]);
    let bytes = s.sign_bytes(&claims());
    assert_eq!(v.verify_bytes(&bytes), Ok(claims()));
    for bit in 0..PAYLOAD_LEN * 8 {
        let mut b = bytes;
        b[bit / 8] ^= 1 << (bit % 8);
        let err = v.verify(&base45_encode(&b)).unwrap_err();
        let expected = match bit / 8 {
            0 => TicketError::UnsupportedVersion(b[0]),
            1 => TicketError::UnknownKey(KeyId(b[1])),
            _ => TicketError::BadSignature,
        };
        assert_eq!(err, expected, "bit {bit}");
        assert!(err.is_invalid());
    }
}

#[test]
fn garbled_text_is_malformed() {
    let s = signer(3, 1);
    let v = verifier(&[&s]);
    let text = s.sign(&claims());
    let malformed = |t: &str| matches!(v.verify(t), Err(TicketError::Malformed(_)));
    assert!(malformed(""));
    assert!(malformed(&text[..TEXT_LEN - 1])); // dangling character
    assert!(malformed(&text[..TEXT_LEN - 2])); // one byte short
    assert!(malformed(&format!("{text}00"))); // one byte too many
    assert!(malformed(&text.to_lowercase()));
    assert!(malformed(&format!("{}#", &text[..TEXT_LEN - 1]))); // not base45
    // Any single character changed: never accepted.
    for i in 0..TEXT_LEN {
        for &c in BASE45.iter().filter(|&&c| c != text.as_bytes()[i]) {
            let mut t = text.clone().into_bytes();
            t[i] = c;
            let t = String::from_utf8(t).unwrap();
            assert!(v.verify(&t).unwrap_err().is_invalid(), "char {i} -> {c}");
        }
    }
}

#[test]
fn invalid_fields_behind_a_good_signature_are_malformed() {
    // Only a buggy or compromised signer could produce these.
    let s = signer(3, 1);
    let v = verifier(&[&s]);
    for (at, value) in [(41, 0u8), (42, 0u8)] {
        let mut body = claims().body(s.key_id());
        body[38..42].copy_from_slice(&[0, 0, 0, if at == 41 { 0 } else { 3 }]);
        body[at] = value;
        let mut bytes = body.to_vec();
        bytes.extend_from_slice(&s.key.sign(&body).to_bytes());
        assert!(matches!(
            v.verify_bytes(&bytes),
            Err(TicketError::Malformed(_))
        ));
    }
}

#[test]
fn unknown_key_and_foreign_signer() {
    let ours = signer(3, 1);
    let v = verifier(&[&ours]);
    let other_id = signer(4, 2).sign(&claims());
    assert_eq!(v.verify(&other_id), Err(TicketError::UnknownKey(KeyId(4))));
    // Someone else's key under our key id.
    let impostor = signer(3, 9).sign(&claims());
    assert_eq!(v.verify(&impostor), Err(TicketError::BadSignature));
}

#[test]
fn unsupported_version() {
    let s = signer(3, 1);
    let mut bytes = s.sign_bytes(&claims()).to_vec();
    bytes[0] = 2;
    bytes.truncate(20); // a future format may have another length
    assert_eq!(
        verifier(&[&s]).verify(&base45_encode(&bytes)),
        Err(TicketError::UnsupportedVersion(2))
    );
}

#[test]
fn rotation_keeps_old_tickets_until_their_key_is_removed() {
    let old = signer(1, 1);
    let new = signer(2, 2);
    let old_ticket = old.sign(&claims());
    let new_ticket = new.sign(&claims());
    let mut v = verifier(&[&old, &new]);
    assert_eq!(v.verify(&old_ticket), Ok(claims()));
    assert_eq!(v.verify(&new_ticket), Ok(claims()));
    assert_eq!(v.key_ids().collect::<Vec<_>>(), [KeyId(1), KeyId(2)]);
    v.remove(KeyId(1));
    assert_eq!(
        v.verify(&old_ticket),
        Err(TicketError::UnknownKey(KeyId(1)))
    );
    assert_eq!(v.verify(&new_ticket), Ok(claims()));
}

#[test]
fn wrong_event_and_wrong_day() {
    let s = signer(3, 1);
    let v = verifier(&[&s]);
    let saturday = TicketClaims {
        days: ValidDays::from_days([1]).unwrap(),
        ..claims()
    };
    let text = s.sign(&saturday);
    assert_eq!(v.verify_for(&text, EVENT, 1), Ok(saturday));
    assert_eq!(
        v.verify_for(&text, OTHER_EVENT, 1),
        Err(TicketError::WrongEvent {
            expected: OTHER_EVENT,
            found: EVENT
        })
    );
    let err = v.verify_for(&text, EVENT, 2).unwrap_err();
    assert_eq!(
        err,
        TicketError::WrongDay {
            day: 2,
            valid: saturday.days
        }
    );
    assert!(!err.is_invalid());
    // The event is checked before the day.
    assert!(matches!(
        v.verify_for(&text, OTHER_EVENT, 2),
        Err(TicketError::WrongEvent { .. })
    ));
    // A weekend pass is valid on both days, not on a third or day 0.
    let weekend = claims();
    assert_eq!(weekend.check(EVENT, 2), Ok(()));
    assert!(weekend.check(EVENT, 3).is_err());
    assert!(weekend.check(EVENT, 0).is_err());
}

#[test]
fn valid_days_bitmask() {
    let d = ValidDays::from_days([1, 3, 32]).unwrap();
    assert_eq!(d.mask(), 0b101 | 1 << 31);
    assert_eq!(d.days().collect::<Vec<_>>(), [1, 3, 32]);
    assert_eq!(format!("{d:?}"), "{1, 3, 32}");
    assert_eq!(ValidDays::from_days([]), None);
    assert_eq!(ValidDays::from_days([0]), None);
    assert_eq!(ValidDays::from_days([33]), None);
    assert_eq!(ValidDays::all(31).unwrap().mask(), 0x7FFF_FFFF);
    // Big-endian on the wire: a two-day pass ends the days field in 0x03.
    let body = claims().body(KeyId(0));
    assert_eq!(body[38..42], [0, 0, 0, 3]);
}

#[test]
fn keys_load_from_a_secret_like_directory() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, content: &str| std::fs::write(dir.path().join(name), content).unwrap();
    let (k1, k2) = (key(11), key(12));
    write("1.pem", &k1.to_pkcs8_pem(LineEnding::LF).unwrap());
    write("2.pem", &k2.to_pkcs8_pem(LineEnding::LF).unwrap());
    write(CURRENT_FILE, "2\n");
    // What a Secret volume also contains; must be ignored.
    std::fs::create_dir(dir.path().join("..data")).unwrap();
    write("README", "not a key");

    let signer = Signer::from_dir(dir.path()).unwrap();
    assert_eq!(signer.key_id(), KeyId(2));
    assert_eq!(signer.verifying_key(), k2.verifying_key());
    let verifier = Verifier::from_dir(dir.path()).unwrap();
    assert_eq!(verifier.key_ids().collect::<Vec<_>>(), [KeyId(1), KeyId(2)]);
    let old = Signer::new(KeyId(1), k1.clone()).sign(&claims());
    assert_eq!(verifier.verify(&old), Ok(claims()));
    assert_eq!(verifier.verify(&signer.sign(&claims())), Ok(claims()));

    // A scanner's directory: public keys only.
    let public = tempfile::tempdir().unwrap();
    std::fs::write(public.path().join("2.pub.pem"), signer.public_key_pem()).unwrap();
    let scanner = Verifier::from_dir(public.path()).unwrap();
    assert_eq!(scanner.verify(&signer.sign(&claims())), Ok(claims()));
    assert_eq!(scanner.verify(&old), Err(TicketError::UnknownKey(KeyId(1))));
    assert!(matches!(
        Signer::from_dir(public.path()),
        Err(KeyError::Io { .. })
    ));

    // A public key that is not the private key's half.
    write("1.pub.pem", &signer.public_key_pem());
    assert!(matches!(
        Verifier::from_dir(dir.path()),
        Err(KeyError::Mismatch { .. })
    ));
    std::fs::remove_file(dir.path().join("1.pub.pem")).unwrap();

    // `current` naming a missing key, or no key id at all.
    write(CURRENT_FILE, "7");
    assert!(matches!(
        Signer::from_dir(dir.path()),
        Err(KeyError::MissingKey { .. })
    ));
    write(CURRENT_FILE, "02");
    assert!(matches!(
        Signer::from_dir(dir.path()),
        Err(KeyError::BadKeyId(_))
    ));
    write(CURRENT_FILE, "256");
    assert!(matches!(
        Signer::from_dir(dir.path()),
        Err(KeyError::BadKeyId(_))
    ));

    // A key file that is not a key; a key file whose name is not an id.
    write(
        "3.pem",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    assert!(matches!(
        Verifier::from_dir(dir.path()),
        Err(KeyError::BadPem { .. })
    ));
    std::fs::remove_file(dir.path().join("3.pem")).unwrap();
    write("new.pem", "");
    assert!(matches!(
        Verifier::from_dir(dir.path()),
        Err(KeyError::BadKeyId(_))
    ));

    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Verifier::from_dir(empty.path()),
        Err(KeyError::MissingKey { .. })
    ));
}

#[test]
fn debug_output_shows_no_private_key() {
    let seed: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(5));
    let key = SigningKey::from_bytes(&seed);
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap();
    let der = key.to_pkcs8_der().unwrap();
    let s = Signer::new(KeyId(9), key);
    let debug = format!("{s:?} {s:#?}");
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    let pem_body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(!debug.to_lowercase().contains(&hex), "{debug}");
    assert!(
        !debug.to_uppercase().contains(&hex.to_uppercase()),
        "{debug}"
    );
    assert!(!debug.contains(&pem_body[..],), "{debug}");
    assert!(!debug.contains(&format!("{seed:?}")[1..40]), "{debug}");
    assert!(
        !debug.contains(&format!("{:?}", der.as_bytes())[1..40]),
        "{debug}"
    );
    // What it does show: the key id and the public key.
    assert!(debug.contains("key_id: KeyId(9)"), "{debug}");
    let public: String = s
        .verifying_key()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(debug.contains(&public), "{debug}");
}

fn any_claims() -> impl Strategy<Value = TicketClaims> {
    (
        any::<u128>(),
        any::<u128>(),
        any::<[u8; 4]>(),
        1..=u32::MAX,
        1..=u8::MAX,
    )
        .prop_map(|(event, ticket, tier, days, admits)| TicketClaims {
            event: Uuid::from_u128(event),
            ticket: Uuid::from_u128(ticket),
            tier: TierHash(tier),
            days: ValidDays::from_mask(days).unwrap(),
            admits: NonZeroU8::new(admits).unwrap(),
        })
}

proptest! {
    #[test]
    fn any_claims_round_trip(claims in any_claims(), id in any::<u8>(), seed in any::<[u8; 32]>()) {
        let s = Signer::new(KeyId(id), SigningKey::from_bytes(&seed));
        let text = s.sign(&claims);
        prop_assert_eq!(text.len(), TEXT_LEN);
        prop_assert!(text.bytes().all(|c| BASE45.contains(&c)));
        prop_assert_eq!(verifier(&[&s]).verify(&text), Ok(claims));
    }

    #[test]
    fn base45_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = base45_encode(&bytes);
        prop_assert_eq!(base45_decode(&text), Some(bytes));
    }

    /// Fuzzing the parser: any text at all (QR garbage, other codes,
    /// binary noise) is refused without a panic.
    #[test]
    fn garbage_is_refused_without_panicking(text in any::<String>(), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let s = Signer::new(KeyId(1), SigningKey::from_bytes(&[3; 32]));
        let v = verifier(&[&s]);
        prop_assert!(v.verify(&text).is_err());
        prop_assert!(v.verify_bytes(&bytes).is_err());
        prop_assert!(v.verify(&base45_encode(&bytes)).is_err());
    }

    /// A genuine ticket truncated, extended or with any one character
    /// changed never verifies as a ticket (and never panics).
    #[test]
    fn a_tampered_ticket_never_verifies(
        claims in any_claims(),
        at in any::<prop::sample::Index>(),
        with in prop::sample::select(BASE45.to_vec()),
        cut in any::<prop::sample::Index>(),
    ) {
        let s = Signer::new(KeyId(1), SigningKey::from_bytes(&[3; 32]));
        let v = verifier(&[&s]);
        let text = s.sign(&claims).into_bytes();
        let i = at.index(text.len());
        let mut changed = text.clone();
        changed[i] = with;
        let changed = String::from_utf8(changed).unwrap();
        if changed.as_bytes() != text.as_slice() {
            prop_assert!(v.verify(&changed).is_err(), "position {} changed verified", i);
        }
        let short = String::from_utf8(text[..cut.index(text.len())].to_vec()).unwrap();
        prop_assert!(v.verify(&short).is_err());
        let long = format!("{}00", String::from_utf8(text).unwrap());
        prop_assert!(v.verify(&long).is_err());
    }
}

#[test]
fn each_organization_takes_its_own_key_directory_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("acme")).unwrap();
    let (own, scoped) = organization_key_dir(dir.path(), "acme");
    assert_eq!((own, scoped), (dir.path().join("acme"), true));
    // No directory of its own: the shared keys, said so.
    assert_eq!(
        organization_key_dir(dir.path(), "globex"),
        (dir.path().to_owned(), false)
    );
    // A name that is not a namespace never walks out of the directory.
    std::fs::create_dir(dir.path().join("acme").join("x")).unwrap();
    for bad in ["..", ".", "acme/x", "", "ACME"] {
        assert_eq!(
            organization_key_dir(&dir.path().join("acme"), bad),
            (dir.path().join("acme"), false),
            "{bad:?}"
        );
    }
}
