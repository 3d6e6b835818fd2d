ALTER TABLE "audit_event" ADD COLUMN "shown_pupils_digest" text;--> statement-breakpoint
-- The audit chain is keyed (docs/adr/0015-keyed-audit-chain.md). Each new row's link is
-- 'k1:' || HMAC-SHA256(K, message), where K is derived from AUDIT_KEY, which the database does not hold:
-- OpenSEND gives each of its connections the key's inner and outer pads (setting opensend.audit_hmac,
-- 256 hexadecimal characters), so the HMAC is computed with the built-in sha256() alone. The message is
-- a JSON array, so no field can run into the next: the previous row's link, the position, the id, the
-- school, the time in microseconds, the person, role, action, pupil, request, the digest of the pupils
-- the event showed, and the detail. A connection without the key cannot add to the trail.
CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  pads text := current_setting('opensend.audit_hmac', true);
  last_seq bigint;
  last_hash text;
BEGIN
  IF pads IS NULL OR length(pads) <> 256 THEN
    RAISE EXCEPTION 'audit_event: OpenSEND''s audit key is not set on this connection, so the entry cannot be chained (the audit trail is written by OpenSEND only)';
  END IF;
  PERFORM pg_advisory_xact_lock(720451100, hashtext(coalesce(NEW.school_id::text, 'none')));
  IF NEW.school_id IS NULL THEN
    SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_event
      WHERE school_id IS NULL AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  ELSE
    SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_event
      WHERE school_id = NEW.school_id AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  END IF;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.hash := 'k1:' || encode(sha256(decode(substr(pads, 129, 128), 'hex') || sha256(
    decode(substr(pads, 1, 128), 'hex') || convert_to(json_build_array(
      coalesce(last_hash, ''), NEW.chain_seq, NEW.id, NEW.school_id,
      (extract(epoch from NEW.occurred_at) * 1000000)::bigint,
      NEW.user_id, NEW.role, NEW.action, NEW.pupil_id, NEW.request_id,
      NEW.shown_pupils_digest, NEW.detail)::text, 'UTF8'))), 'hex');
  RETURN NEW;
END;
$$;--> statement-breakpoint
-- Rows written before keep their plain SHA-256 links (audit_event_digest), and their audit_event_pupil
-- rows are not part of them. Each chain that has such rows is sealed here, once, by a keyed row right
-- after its last one: the seal's link covers the last old link (so no old row can change without
-- breaking it), and its detail the number of old rows and a digest of every old row's pupils, so
-- `opensend audit verify` knows where keying began and checks the old rows' pupils too.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM audit_event) THEN
    IF coalesce(length(current_setting('opensend.audit_hmac', true)), 0) <> 256 THEN
      RAISE EXCEPTION 'Upgrading the audit trail needs OpenSEND''s audit key: start OpenSEND (or run opensend migrate) to upgrade, rather than another tool';
    END IF;
    INSERT INTO audit_event (school_id, action, detail)
    SELECT c.school_id, 'audit.chain_keyed', jsonb_build_object('entries', c.entries, 'pupilLinks', c.links)
    FROM (
      SELECT e.school_id, count(*) AS entries,
        encode(sha256(convert_to(coalesce(
          string_agg(e.id::text || ':' || l.digest, ',' ORDER BY e.chain_seq, e.id) FILTER (WHERE l.digest IS NOT NULL),
          ''), 'UTF8')), 'hex') AS links
      FROM audit_event e
      LEFT JOIN (
        SELECT event_id, school_id,
          encode(sha256(convert_to(string_agg(pupil_id::text, ',' ORDER BY pupil_id), 'UTF8')), 'hex') AS digest
        FROM audit_event_pupil GROUP BY event_id, school_id
      ) l ON l.event_id = e.id AND l.school_id = e.school_id
      GROUP BY e.school_id
    ) c
    ORDER BY c.school_id NULLS FIRST;
  END IF;
END;
$$;
