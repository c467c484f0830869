-- fct_pool_snapshot takes a person's attributes at D from any one of their list rows in
-- fct_pool_membership: every list row of a person at D must carry the same attributes.
select
    snapshot_date,
    person_key

from {{ ref('fct_pool_membership') }}
group by snapshot_date, person_key
having count(distinct (sex, generation, birth_year, ethnicity, ethnic_group, affiliation_name, education, rank,
                       sector, region_name, field, readiness, entered_date, is_latest_snapshot, was_trained,
                       was_placed_after_training)) > 1
