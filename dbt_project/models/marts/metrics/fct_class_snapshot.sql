-- Snapshot D × class: every class that started on or before D, with whether it is within the
-- three years before D (近三年: a start in (D − 3 years, D]).
with

snapshots as (

    select * from {{ ref('int_snapshots') }}

),

classes as (

    select * from {{ ref('dim_class') }}

),

final as (

    select
        snapshots.snapshot_date,
        classes.class_id,
        classes.class_name,
        classes.training_type,
        classes.host_level,
        classes.host_org,
        classes.start_date,
        classes.end_date,
        classes.start_year,
        classes.hours,
        classes.start_date > snapshots.window_start as is_in_last_three_years

    from snapshots
    inner join classes on classes.start_date <= snapshots.snapshot_date

)

select * from final
order by snapshot_date
