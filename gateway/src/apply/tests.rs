use super::*;

fn status(v: Value) -> Status {
    serde_json::from_value(v).unwrap()
}

#[test]
fn field_manager_conflicts_name_each_field_and_owner() {
    // As kube-apiserver 1.36 answers (captured).
    let s = status(json!({
        "kind": "Status", "apiVersion": "v1", "status": "Failure",
        "message": "Apply failed with 2 conflicts: conflicts with \"gitops\":\n- .spec.description\n- .spec.title",
        "reason": "Conflict",
        "details": {"causes": [
            {"reason": "FieldManagerConflict", "message": "conflict with \"gitops\"", "field": ".spec.description"},
            {"reason": "FieldManagerConflict", "message": "conflict with \"kubectl-client-side-apply\" using sellout.io/v1alpha1", "field": ".spec.title"}
        ]},
        "code": 409
    }));
    let Refusal::Final(e) = classify_status(&s, "Event", "show") else {
        panic!("not final")
    };
    let ApplyError::Conflict(c) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        c,
        &[
            Conflict {
                field: ".spec.description".into(),
                manager: "gitops".into()
            },
            Conflict {
                field: ".spec.title".into(),
                manager: "kubectl-client-side-apply".into()
            }
        ]
    );
    let m = e.message();
    assert!(
        m.contains(".spec.title is owned by field manager \"kubectl-client-side-apply\""),
        "{m}"
    );
    assert!(m.contains("force: true"), "{m}");
    assert_eq!(e.code(), "CONFLICT");
}

#[test]
fn a_stale_resource_version_is_retried_and_other_refusals_are_mapped() {
    let s = status(
        json!({"status": "Failure", "reason": "Conflict", "code": 409,
        "message": "Operation cannot be fulfilled on events.sellout.io \"e1\": the object has been modified; please apply your changes to the latest version and try again"}),
    );
    assert!(matches!(
        classify_status(&s, "Event", "e1"),
        Refusal::Changed
    ));
    let s = status(
        json!({"status": "Failure", "reason": "Conflict", "code": 409,
        "message": "Operation cannot be fulfilled on events.sellout.io \"e3\": uid mismatch: the provided object specified uid x, and no existing object was found"}),
    );
    assert!(matches!(
        classify_status(&s, "Event", "e3"),
        Refusal::Final(ApplyError::NotFound { .. })
    ));
    let s = status(
        json!({"status": "Failure", "reason": "Forbidden", "code": 403,
        "message": "organizations.sellout.io \"o\" is forbidden: User \"system:serviceaccount:sellout-system:sellout-gateway\" cannot patch resource"}),
    );
    let Refusal::Final(e) = classify_status(&s, "Organization", "o") else {
        panic!()
    };
    assert_eq!(e.code(), "FORBIDDEN");
    assert!(e.message().contains("service account"), "{e:?}");
}

#[test]
fn cel_refusals_pass_the_rule_message_through() {
    let s = status(json!({
        "status": "Failure", "reason": "Invalid", "code": 422,
        "message": "Event.sellout.io \"e1\" is invalid: [spec: Invalid value: onSaleAt must be before offSaleAt, spec.days[0]: Invalid value: doorsAt must not be after startsAt]",
        "details": {"name": "e1", "group": "sellout.io", "kind": "Event", "causes": [
            {"reason": "FieldValueInvalid", "message": "Invalid value: onSaleAt must be before offSaleAt", "field": "spec"},
            {"reason": "FieldValueInvalid", "message": "Invalid value: doorsAt must not be after startsAt", "field": "spec.days[0]"}
        ]}
    }));
    let Refusal::Final(e) = classify_status(&s, "Event", "e1") else {
        panic!()
    };
    assert_eq!(e.code(), "INVALID");
    assert_eq!(
        e.message(),
        "the API server refused the change: spec: Invalid value: onSaleAt must be before offSaleAt; spec.days[0]: Invalid value: doorsAt must not be after startsAt"
    );
    let gql: Error = e.into();
    let ext = gql.extensions.unwrap();
    assert_eq!(
        ext.get("causes").unwrap().clone().into_json().unwrap()[1]["field"],
        "spec.days[0]"
    );
}

fn managed() -> Value {
    json!({
        "metadata": {"name": "hall", "managedFields": [
            {"manager": "sellout-gateway", "operation": "Apply", "apiVersion": "sellout.io/v1alpha1",
             "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {
                "f:displayName": {}, "f:address": {"f:line1": {}, "f:city": {}},
                "f:days": {},
                "f:sections": {"k:{\"name\":\"floor\"}": {".": {}, "f:name": {}, "f:generalAdmission": {"f:capacity": {}}}}
             }}},
            {"manager": "gitops", "operation": "Apply", "apiVersion": "sellout.io/v1alpha1",
             "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {
                "f:capacity": {},
                "f:sections": {"k:{\"name\":\"vip\"}": {".": {}, "f:name": {}, "f:tables": {"f:count": {}, "f:seatsPerTable": {}}}}
             }}},
            {"manager": "sellout-operator", "operation": "Apply", "subresource": "status",
             "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:sections": {}}}}
        ]},
        "spec": {
            "displayName": "Hall", "capacity": 900,
            "address": {"line1": "1 Road", "city": "York", "country": "GB"},
            "days": [{"a": 1}, {"a": 2}],
            "sections": [
                {"name": "vip", "tables": {"count": 5, "seatsPerTable": 8}},
                {"name": "floor", "generalAdmission": {"capacity": 800}}
            ]
        },
        "status": {"sections": 2}
    })
}

#[test]
fn the_gateways_config_is_what_it_owns_with_live_values() {
    let owned = owned_config(&managed());
    assert_eq!(
        Value::Object(owned),
        json!({"spec": {
            "displayName": "Hall",
            "address": {"line1": "1 Road", "city": "York"},
            "days": [{"a": 1}, {"a": 2}],
            "sections": [{"name": "floor", "generalAdmission": {"capacity": 800}}]
        }})
    );
}

#[test]
fn owners_are_listed_leaf_by_leaf_in_the_api_servers_notation() {
    let owners = field_owners(managed_fields(&managed()), ".spec");
    let pairs: Vec<(&str, &str)> = owners
        .iter()
        .map(|o| (o.field.as_str(), o.manager.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            (".spec.address.city", "sellout-gateway"),
            (".spec.address.line1", "sellout-gateway"),
            (".spec.capacity", "gitops"),
            (".spec.days", "sellout-gateway"),
            (".spec.displayName", "sellout-gateway"),
            (
                ".spec.sections[name=\"floor\"].generalAdmission.capacity",
                "sellout-gateway"
            ),
            (".spec.sections[name=\"floor\"].name", "sellout-gateway"),
            (".spec.sections[name=\"vip\"].name", "gitops"),
            (".spec.sections[name=\"vip\"].tables.count", "gitops"),
            (
                ".spec.sections[name=\"vip\"].tables.seatsPerTable",
                "gitops"
            ),
        ]
    );
    let live = Live {
        object: (),
        json: managed(),
    };
    assert_eq!(live.others_under(".spec.sections[name=\"vip\"]").len(), 3);
    assert!(live.others_under(".spec.displayName").is_empty());
}

#[test]
fn names_are_checked() {
    assert!(check_name("event", "summer-2027", 54).is_ok());
    for bad in ["", "Summer", "-a", "a-", "a/b", "a.b", &"x".repeat(55)] {
        assert!(check_name("event", bad, 54).is_err(), "{bad}");
    }
}
