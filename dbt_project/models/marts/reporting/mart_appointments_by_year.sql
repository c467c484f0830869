-- Start year × category × team type × rank × selection method: tenures and persons.
-- Persons do not add up across rows (one person may hold several tenures).
with

tenures as (

    select * from {{ ref('fct_appointment_tenure') }}

),

final as (

    select
        start_year,
        is_since_term,
        appointment_category,
        team_type,
        rank,
        selection_method,
        count(*) as tenures,
        count(distinct person_key) as persons,
        count_if(is_sitting_at_as_of) as tenures_sitting_at_as_of,
        count_if(is_in_pool) as tenures_of_pool_persons

    from tenures
    group by all

)

select * from final
