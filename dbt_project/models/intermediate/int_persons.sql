-- One person per ID number (person_key). Attributes come from the pool: the person's latest
-- snapshot, first-sheet-wins within it. Persons only in training or appointments carry what
-- their ID number gives (sex, birth date).
with

person_snapshots as (

    select * from {{ ref('int_pool_person_snapshot') }}

),

history as (

    select * from {{ ref('int_pool_person_history') }}

),

appointments as (

    select * from {{ ref('stg_landing__appointments') }}

),

participants as (

    select * from {{ ref('stg_landing__training_participants') }}

),

latest_pool as (

    select person_snapshots.*
    from person_snapshots
    inner join history
        on person_snapshots.person_key = history.person_key
        and person_snapshots.snapshot_date = history.last_snapshot_date

),

id_attributes as (

    select person_key, sex, birth_date, 1 as source_priority, source_file, source_row
    from appointments

    union all

    select person_key, sex, birth_date, 2 as source_priority, source_file, source_row
    from participants

),

first_id_attributes as (

    select person_key, sex, birth_date
    from id_attributes
    qualify row_number() over (
        partition by person_key
        order by source_priority, source_file, source_row
    ) = 1

),

all_persons as (

    select person_key from latest_pool
    union
    select person_key from first_id_attributes

),

final as (

    select
        all_persons.person_key,
        -- a dense integer per person, numbered anew at each refresh (in person_key order, so a
        -- rebuild of the same data gives the same numbers): the facts carry it so that joins
        -- and counts of distinct persons hash a 4-byte integer instead of the 64-character
        -- person_key. Never shown and never kept across refreshes; person_key stays the
        -- person's identity.
        row_number() over (order by all_persons.person_key)::integer as person_id,
        coalesce(latest_pool.sex, first_id_attributes.sex) as sex,
        coalesce(latest_pool.birth_date, first_id_attributes.birth_date) as birth_date,
        year(coalesce(latest_pool.birth_date, first_id_attributes.birth_date)) as birth_year,
        {{ generation('year(coalesce(latest_pool.birth_date, first_id_attributes.birth_date))') }}
            as generation,
        latest_pool.ethnicity,
        latest_pool.is_ethnic_minority,
        latest_pool.affiliation_code,
        latest_pool.affiliation_name,
        latest_pool.is_democratic_party,
        latest_pool.education,
        latest_pool.rank,
        latest_pool.sector,
        latest_pool.region_name,
        latest_pool.field,
        latest_pool.readiness,
        history.first_snapshot_date,
        history.last_snapshot_date,
        coalesce(history.is_in_pool, false) as is_in_pool,
        history.left_pool_date,
        latest_pool.person_key is not null as is_in_pool_source

    from all_persons
    left join latest_pool on all_persons.person_key = latest_pool.person_key
    left join history on all_persons.person_key = history.person_key
    left join first_id_attributes on all_persons.person_key = first_id_attributes.person_key

)

select * from final
