// @generated automatically by Diesel CLI.

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

diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(audit_events, jobs, rate_limits, refresh_tokens, users,);
