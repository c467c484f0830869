-- Class × person: the same person twice in one class counts once, the first row wins (§3).
with

participants as (

    select * from {{ ref('stg_landing__training_participants') }}

),

final as (

    select
        class_id,
        person_key,
        completion_status,
        source_file,
        source_sheet,
        source_row

    from participants
    qualify row_number() over (
        partition by class_id, person_key
        order by source_file, source_row
    ) = 1

)

select * from final
