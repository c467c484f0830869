-- Snapshot D × person: who is in the pool at D, once, with their attributes at D (first list
-- wins: fct_pool_membership carries them on every list row), the lists they are on (an array,
-- so a list filter keeps a person on any chosen list) and their progress by D. One row per
-- person makes every pool count a plain count, which keeps the dashboard's queries fast at
-- national scale; persons per list come from fct_pool_membership itself. Rows are in snapshot
-- order, so a one-snapshot query reads one stretch.
with

memberships as (

    select * from {{ ref('fct_pool_membership') }}

),

persons as (

    select person_key, person_id from {{ ref('dim_person') }}

),

by_person as (

    select
        snapshot_date,
        person_key,
        list(list_name order by list_id) as list_names,
        -- the same on every list row of a person at D
        any_value(sex) as sex,
        any_value(generation) as generation,
        any_value(birth_year) as birth_year,
        any_value(ethnicity) as ethnicity,
        any_value(ethnic_group) as ethnic_group,
        any_value(affiliation_name) as affiliation_name,
        any_value(education) as education,
        any_value(rank) as rank,
        any_value(sector) as sector,
        any_value(region_name) as region_name,
        any_value(field) as field,
        any_value(readiness) as readiness,
        any_value(entered_date) as entered_date,
        any_value(is_latest_snapshot) as is_latest_snapshot,
        any_value(was_trained) as was_trained,
        any_value(was_placed_after_training) as was_placed_after_training

    from memberships
    group by snapshot_date, person_key

),

-- the integer id beside the key: the models that join the pool at D join on it (cheaper)
final as (

    select
        by_person.*,
        persons.person_id

    from by_person
    inner join persons on by_person.person_key = persons.person_key

)

select * from final
order by snapshot_date, person_id
