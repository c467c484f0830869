-- The talent pool as a slowly changing dimension (type 2): one row per person and version.
-- A new version starts at the first snapshot at which the person's readiness, rank, sector,
-- region, lists or being in the pool differ from the snapshot before; it is valid until the
-- next version starts (valid_to, exclusive), the current one has no valid_to.
with

states as (

    select * from {{ ref('int_pool_person_states') }}

),

compared as (

    select
        states.*,
        row_number() over by_person as state_number,
        lag(is_in_pool) over by_person as previous_is_in_pool,
        lag(readiness) over by_person as previous_readiness,
        lag(rank) over by_person as previous_rank,
        lag(sector) over by_person as previous_sector,
        lag(region_name) over by_person as previous_region_name,
        lag(list_names) over by_person as previous_list_names

    from states
    window by_person as (partition by person_key order by snapshot_date)

),

changes as (

    select
        *,
        -- which attributes differ from the snapshot before ('|'-separated; NULL for the first)
        nullif(concat_ws('|',
            case when is_in_pool is distinct from previous_is_in_pool then 'is_in_pool' end,
            case when readiness is distinct from previous_readiness then 'readiness' end,
            case when rank is distinct from previous_rank then 'rank' end,
            case when sector is distinct from previous_sector then 'sector' end,
            case when region_name is distinct from previous_region_name then 'region_name' end,
            case when list_names is distinct from previous_list_names then 'list_names' end
        ), '') as changed_attributes

    from compared

),

numbered as (

    select
        *,
        sum(case when state_number = 1 or changed_attributes is not null then 1 else 0 end) over (
            partition by person_key order by snapshot_date rows unbounded preceding
        )::integer as version_number

    from changes

),

versions as (

    select
        person_key,
        version_number,
        min(snapshot_date) as valid_from,
        count(*) as snapshot_count,
        -- equal on every snapshot of a version, by construction
        any_value(is_in_pool) as is_in_pool,
        any_value(readiness) as readiness,
        any_value(rank) as rank,
        any_value(sector) as sector,
        any_value(region_name) as region_name,
        any_value(list_names) as list_names,
        max(case when state_number > 1 then changed_attributes end) as changed_attributes

    from numbered
    group by person_key, version_number

),

final as (

    select
        person_key,
        version_number,
        valid_from,
        lead(valid_from) over (partition by person_key order by valid_from) as valid_to,
        lead(valid_from) over (partition by person_key order by valid_from) is null as is_current,
        is_in_pool,
        readiness,
        rank,
        sector,
        region_name,
        list_names,
        changed_attributes,
        snapshot_count

    from versions

)

select * from final
