-- The audit trail keeps one chain per owner, each with its own lock (docs/adr/0029-owners.md): a
-- school's entries (school_id) chain per school, as before; an organisation's (organisation_id: an
-- officer's work for a local authority or trust) per organisation, where they used to share the chain
-- of entries of no school; and the entries of neither (the installation's own work) on the
-- installation's chain. Every link already written stays as it is and still verifies: the message of a
-- school's entry and of an entry of neither is the one docs/adr/0015 gives, byte for byte; an
-- organisation's entry adds its organisation to the end of the message, so that it cannot be moved to
-- another owner's chain unseen. Each owner's lock is its own (an organisation's in a class of its own),
-- so one owner's writers never wait for another's.
CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  pads text := current_setting('opensend.audit_hmac', true);
  last_seq bigint;
  last_hash text;
  message json;
BEGIN
  IF pads IS NULL OR length(pads) <> 256 THEN
    RAISE EXCEPTION 'audit_event: OpenSEND''s audit key is not set on this connection, so the entry cannot be chained (the audit trail is written by OpenSEND only)';
  END IF;
  IF NEW.school_id IS NOT NULL AND NEW.organisation_id IS NOT NULL THEN
    RAISE EXCEPTION 'audit_event: an entry belongs to a school or to an organisation, never to both';
  END IF;
  IF NEW.school_id IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(720451100, hashtext(NEW.school_id::text));
    SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_event
      WHERE school_id = NEW.school_id AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  ELSIF NEW.organisation_id IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(720451101, hashtext(NEW.organisation_id::text));
    SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_event
      WHERE organisation_id = NEW.organisation_id AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  ELSE
    PERFORM pg_advisory_xact_lock(720451100, hashtext('none'));
    SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_event
      WHERE school_id IS NULL AND organisation_id IS NULL AND chain_seq IS NOT NULL
      ORDER BY chain_seq DESC LIMIT 1;
  END IF;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  IF NEW.organisation_id IS NULL THEN
    message := json_build_array(
      coalesce(last_hash, ''), NEW.chain_seq, NEW.id, NEW.school_id,
      (extract(epoch from NEW.occurred_at) * 1000000)::bigint,
      NEW.user_id, NEW.role, NEW.action, NEW.pupil_id, NEW.request_id,
      NEW.shown_pupils_digest, NEW.detail);
  ELSE
    message := json_build_array(
      coalesce(last_hash, ''), NEW.chain_seq, NEW.id, NEW.school_id,
      (extract(epoch from NEW.occurred_at) * 1000000)::bigint,
      NEW.user_id, NEW.role, NEW.action, NEW.pupil_id, NEW.request_id,
      NEW.shown_pupils_digest, NEW.detail, NEW.organisation_id);
  END IF;
  NEW.hash := 'k1:' || encode(sha256(decode(substr(pads, 129, 128), 'hex') || sha256(
    decode(substr(pads, 1, 128), 'hex') || convert_to(message::text, 'UTF8'))), 'hex');
  RETURN NEW;
END;
$$;
