// @generated automatically by Diesel CLI.

diesel::table! {
    applicants (id) {
        id -> Uuid,
        user_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        language -> Nullable<Text>,
        phone_sealed -> Nullable<Text>,
        email_enabled -> Bool,
        sms_enabled -> Bool,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor_user_id -> Nullable<Uuid>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Text,
        request_id -> Nullable<Text>,
        details -> Jsonb,
    }
}

diesel::table! {
    checks (id) {
        id -> Uuid,
        verification_id -> Uuid,
        attempt -> Int4,
        kind -> Text,
        result -> Text,
        score -> Nullable<Float8>,
        reasons -> Jsonb,
        details -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    document_images (id) {
        id -> Uuid,
        verification_id -> Uuid,
        attempt -> Int4,
        kind -> Text,
        storage_key -> Text,
        upload_sha256 -> Bytea,
        stored_sha256 -> Bytea,
        content_type -> Text,
        byte_size -> Int4,
        width -> Int4,
        height -> Int4,
        quality -> Jsonb,
        replaced_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        extraction -> Jsonb,
        extracted_sealed -> Nullable<Text>,
    }
}

diesel::table! {
    handoffs (id) {
        id -> Uuid,
        verification_id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        opened_at -> Nullable<Timestamptz>,
        session_hash -> Nullable<Bytea>,
        session_expires_at -> Nullable<Timestamptz>,
        completed_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Uuid,
        key -> Text,
        request_hash -> Bytea,
        status_code -> Nullable<Int4>,
        response_body -> Nullable<Jsonb>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    image_faces (image_id) {
        image_id -> Uuid,
        summary -> Jsonb,
        embedding_sealed -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Int8,
        kind -> Text,
        payload -> Jsonb,
        dedup_key -> Nullable<Text>,
        status -> Text,
        attempts -> Int4,
        max_attempts -> Int4,
        run_at -> Timestamptz,
        locked_at -> Nullable<Timestamptz>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    liveness_challenges (id) {
        id -> Uuid,
        verification_id -> Uuid,
        attempt -> Int4,
        actions -> Jsonb,
        nonce_hash -> Bytea,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        passed -> Nullable<Bool>,
        report -> Nullable<Jsonb>,
        frames_prefix -> Nullable<Text>,
        frames_purge_after -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        verification_id -> Uuid,
        attempt -> Int4,
        event -> Text,
        channel -> Text,
        dedup_key -> Text,
        status -> Text,
        attempts -> Int4,
        run_at -> Timestamptz,
        locked_at -> Nullable<Timestamptz>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        provider_ref -> Nullable<Text>,
        sent_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    rate_limits (bucket, window_start) {
        bucket -> Text,
        window_start -> Timestamptz,
        hits -> Int4,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refused_images (verification_id, kind, upload_sha256) {
        verification_id -> Uuid,
        upload_sha256 -> Bytea,
        kind -> Text,
        reasons -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    review_cases (verification_id, attempt) {
        verification_id -> Uuid,
        attempt -> Int4,
        state -> Text,
        flags -> Array<Nullable<Text>>,
        queued_at -> Timestamptz,
        claimed_by -> Nullable<Uuid>,
        claim_expires_at -> Nullable<Timestamptz>,
        proposal -> Nullable<Jsonb>,
        proposed_by -> Nullable<Uuid>,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        password_hash -> Text,
        roles -> Array<Nullable<Text>>,
        disabled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    verification_attempts (verification_id, attempt) {
        verification_id -> Uuid,
        attempt -> Int4,
        submitted_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
        outcome -> Nullable<Text>,
        decision -> Nullable<Jsonb>,
    }
}

diesel::table! {
    verifications (id) {
        id -> Uuid,
        applicant_id -> Uuid,
        level -> Text,
        status -> Text,
        attempt -> Int4,
        steps -> Jsonb,
        issuing_country -> Nullable<Text>,
        document_type -> Nullable<Text>,
        pii -> Nullable<Jsonb>,
        pii_key_id -> Nullable<Text>,
        document_number_hash -> Nullable<Bytea>,
        decision -> Nullable<Jsonb>,
        submitted_at -> Nullable<Timestamptz>,
        decided_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(applicants -> users (user_id));
diesel::joinable!(checks -> verifications (verification_id));
diesel::joinable!(document_images -> verifications (verification_id));
diesel::joinable!(handoffs -> users (user_id));
diesel::joinable!(handoffs -> verifications (verification_id));
diesel::joinable!(idempotency_keys -> users (user_id));
diesel::joinable!(image_faces -> document_images (image_id));
diesel::joinable!(liveness_challenges -> verifications (verification_id));
diesel::joinable!(notifications -> verifications (verification_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(refused_images -> verifications (verification_id));
diesel::joinable!(review_cases -> verifications (verification_id));
diesel::joinable!(verification_attempts -> verifications (verification_id));
diesel::joinable!(verifications -> applicants (applicant_id));

diesel::allow_tables_to_appear_in_same_query!(
    applicants,
    audit_events,
    checks,
    document_images,
    handoffs,
    idempotency_keys,
    image_faces,
    jobs,
    liveness_challenges,
    notifications,
    rate_limits,
    refresh_tokens,
    refused_images,
    review_cases,
    users,
    verification_attempts,
    verifications,
);
