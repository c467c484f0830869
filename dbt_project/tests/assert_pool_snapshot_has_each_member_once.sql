-- fct_pool_snapshot holds every person of fct_pool_membership at each snapshot, once, with
-- exactly the lists they are on there: the pool counts (sums over it) and the per-list counts
-- (over fct_pool_membership) describe the same people.
with

by_person as (

    select snapshot_date, person_key, list(list_name order by list_id) as list_names
    from {{ ref('fct_pool_membership') }}
    group by snapshot_date, person_key

),

compared as (

    select
        coalesce(by_person.snapshot_date, pool.snapshot_date) as snapshot_date,
        coalesce(by_person.person_key, pool.person_key) as person_key
    from by_person
    full outer join {{ ref('fct_pool_snapshot') }} as pool
        on by_person.snapshot_date = pool.snapshot_date
        and by_person.person_key = pool.person_key
    where by_person.person_key is null
        or pool.person_key is null
        or by_person.list_names <> pool.list_names

)

select * from compared
