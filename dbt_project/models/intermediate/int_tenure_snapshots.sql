-- Snapshot D × tenure: every tenure that started on or before D, with whether it is sitting at
-- D (任职时间 ≤ D < 免职时间, or no 免职时间; contract §4) and whether it started since the
-- term (换届以来: term_start ≤ 任职时间 ≤ D). Nothing else: fct_tenure_snapshot joins the
-- tenure's attributes back on tenure_id, so the 4.6 million rows of scale 300 are written once
-- wide, not twice (issue 12: the two models 4.3 → 2.7 s at scale 30).
-- A table of its own (not a CTE of fct_tenure_snapshot): DuckDB estimated the inequality join
-- at a few thousand rows (4.6 million at scale 300) and built the later joins' hash tables on
-- it, which could not stay within a memory limit; read from a table, the sizes are known.
with

snapshots as (

    select snapshot_date, term_start from {{ ref('int_snapshots') }}

),

tenures as (

    select tenure_id, start_date, end_date from {{ ref('int_appointment_tenures') }}

),

final as (

    select
        snapshots.snapshot_date,
        tenures.tenure_id,
        tenures.end_date is null or tenures.end_date > snapshots.snapshot_date as is_sitting,
        tenures.start_date >= snapshots.term_start as is_since_term

    from snapshots
    inner join tenures on tenures.start_date <= snapshots.snapshot_date

)

select * from final
