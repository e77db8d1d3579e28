-- The claim window with the claim's own time: a run is due when its scheduled_for has passed both
-- by the database's clock and at the time the claim stamps as its runs' started_at. That time is
-- taken by the worker before the statement runs, so with now() alone a run that came due in between
-- was started "before" it was due. The one-argument function stays for instances still running the
-- previous version during a rolling deploy.
CREATE FUNCTION tickwork_claim_window(p_limit int, p_at timestamptz)
RETURNS TABLE (id uuid, job_id uuid, serial boolean, backfill boolean)
LANGUAGE sql VOLATILE
ROWS 50
SET enable_bitmapscan = off
SET enable_sort = off
AS $$
  SELECT c.id, c.job_id, COALESCE(j.overlap_policy IN ('queue', 'replace'), false), c.trigger = 'backfill'
  FROM executions c
  LEFT JOIN jobs j ON j.id = c.job_id
  WHERE c.status = 'QUEUED' AND c.scheduled_for <= LEAST(now(), p_at)
    -- Serial jobs (overlap queue/replace): nothing of the job is running.
    AND (j.overlap_policy IS NULL OR j.overlap_policy IN ('skip', 'allow')
         OR NOT EXISTS (SELECT 1 FROM executions r WHERE r.job_id = c.job_id AND r.status = 'RUNNING'))
    -- Backfill runs: no other backfill run of the job is running.
    AND (c.trigger <> 'backfill'
         OR NOT EXISTS (SELECT 1 FROM executions b WHERE b.job_id = c.job_id AND b.trigger = 'backfill' AND b.status = 'RUNNING'))
  ORDER BY c.scheduled_for, c.queued_at
  LIMIT p_limit
  FOR UPDATE OF c SKIP LOCKED
$$;
