-- Snapshot D × tenure: every tenure that started on or before D, sitting or not and since the
-- term or not (both decided in int_tenure_snapshots), with the tenure's attributes, its
-- holder's integer id and generation, and the holder's highest sitting rank at
-- D. A holder in the pool at D carries their lists (an array) and sector at D; others none. One
-- row per tenure, so tenures are a plain count and holders a count of distinct persons. Rows are
-- in snapshot order (one-snapshot queries read one stretch).
with

at_snapshot as (

    select
        snapshots.snapshot_date,
        snapshots.is_sitting,
        snapshots.is_since_term,
        tenures.*,
        persons.person_id,
        persons.generation as holder_generation

    from {{ ref('int_tenure_snapshots') }} as snapshots
    inner join {{ ref('int_appointment_tenures') }} as tenures
        on snapshots.tenure_id = tenures.tenure_id
    left join {{ ref('int_persons') }} as persons
        on tenures.person_key = persons.person_key

),

pool as (

    select snapshot_date, person_id, list_names, sector from {{ ref('fct_pool_snapshot') }}

),

-- 厅级: the highest rank (lowest rank_order) among all the holder's sitting 领导职务 tenures
-- at D, of any team type; tenures with no rank are ignored
highest_rank as (

    select
        snapshot_date,
        person_id,
        arg_min(rank, rank_order) as holder_highest_rank,
        arg_min(is_department_level_rank, rank_order) as holder_is_department_level

    from at_snapshot
    where appointment_category = '领导职务'
        and is_sitting
        and rank_order is not null
    group by snapshot_date, person_id

),

final as (

    select
        at_snapshot.snapshot_date,
        at_snapshot.tenure_id,
        at_snapshot.person_key,
        at_snapshot.person_id,
        at_snapshot.appointment_category,
        at_snapshot.org_name,
        at_snapshot.region_name,
        at_snapshot.team_type,
        at_snapshot.team_key,
        at_snapshot.post_title,
        at_snapshot.rank,
        at_snapshot.rank_order,
        at_snapshot.start_date,
        at_snapshot.end_date,
        at_snapshot.start_year,
        at_snapshot.selection_method,
        at_snapshot.post_type,
        at_snapshot.fit_assessment,
        at_snapshot.is_sitting,
        at_snapshot.is_since_term,
        highest_rank.holder_highest_rank,
        coalesce(highest_rank.holder_is_department_level, false) as holder_is_department_level,
        at_snapshot.holder_generation,
        pool.person_id is not null as holder_is_in_pool,
        pool.list_names as holder_lists,
        pool.sector as holder_sector

    from at_snapshot
    left join highest_rank
        on at_snapshot.snapshot_date = highest_rank.snapshot_date
        and at_snapshot.person_id = highest_rank.person_id
    left join pool
        on at_snapshot.snapshot_date = pool.snapshot_date
        and at_snapshot.person_id = pool.person_id

)

select * from final
order by snapshot_date
