-- Snapshot × person, with the attributes of the list that comes first in contract order
-- (first-sheet-wins, contract §2), whatever the order of sheets or rows in the file.
with

memberships as (

    select * from {{ ref('int_pool_list_memberships') }}

),

ethnicities as (

    select * from {{ ref('ref_ethnicities') }}

),

affiliations as (

    select * from {{ ref('ref_affiliations') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

ranked as (

    select
        memberships.*,
        row_number() over (
            partition by snapshot_date, person_key
            order by list_id, source_file, source_row
        ) as list_rank,
        count(*) over (partition by snapshot_date, person_key) as list_count

    from memberships

),

final as (

    select
        ranked.snapshot_date,
        ranked.person_key,
        ranked.sex,
        ranked.birth_date,
        year(ranked.birth_date) as birth_year,
        {{ generation('year(ranked.birth_date)') }} as generation,
        ranked.ethnicity,
        ethnicities.is_ethnic_minority,
        affiliations.affiliation_code,
        ranked.affiliation_name,
        affiliations.is_democratic_party,
        ranked.education,
        ranked.rank,
        ranked.sector,
        ranked.region_name,
        ranked.field,
        ranked.readiness,
        ranked.entered_date,
        ranked.list_id as first_list_id,
        ranked.list_count,
        ranked.snapshot_date = as_of.as_of_date as is_latest_snapshot

    from ranked
    cross join as_of
    left join ethnicities on ranked.ethnicity = ethnicities.ethnicity_name
    left join affiliations on ranked.affiliation_name = affiliations.affiliation_name
    where ranked.list_rank = 1

)

select * from final
