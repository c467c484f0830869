-- Start year × training type × host level: classes held and persons trained.
with

classes as (

    select * from {{ ref('dim_class') }}

),

participation as (

    select * from {{ ref('fct_training_participation') }}

),

class_counts as (

    select
        start_year,
        training_type,
        host_level,
        count(*) as classes,
        count_if(is_in_last_three_years) as classes_in_last_three_years,
        coalesce(sum(hours), 0) as class_hours

    from classes
    group by all

),

participant_counts as (

    select
        start_year,
        training_type,
        host_level,
        count(*) as participations,
        count(distinct person_key) as participants,
        count(distinct person_key) filter (where completion_status = '结业')
            as completed_participants,
        count(distinct person_key) filter (where is_in_pool) as participants_in_pool,
        count(distinct person_key) filter (where was_placed_after) as participants_placed_after

    from participation
    group by all

),

final as (

    select
        class_counts.start_year,
        class_counts.training_type,
        class_counts.host_level,
        class_counts.classes,
        class_counts.classes_in_last_three_years,
        class_counts.class_hours,
        coalesce(participant_counts.participations, 0) as participations,
        coalesce(participant_counts.participants, 0) as participants,
        coalesce(participant_counts.completed_participants, 0) as completed_participants,
        coalesce(participant_counts.participants_in_pool, 0) as participants_in_pool,
        coalesce(participant_counts.participants_placed_after, 0) as participants_placed_after

    from class_counts
    left join participant_counts
        on class_counts.start_year is not distinct from participant_counts.start_year
        and class_counts.training_type is not distinct from participant_counts.training_type
        and class_counts.host_level is not distinct from participant_counts.host_level

)

select * from final
