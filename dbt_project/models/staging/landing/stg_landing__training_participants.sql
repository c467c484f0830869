with

source as (

    select * from {{ source('landing', 'training_participants') }}

),

renamed as (

    select
        "班次编号" as class_id,
        "person_key" as person_key,
        cast("出生日期" as date) as birth_date,
        "性别" as sex,
        "结业情况" as completion_status,

        -- lineage
        "_file" as source_file,
        "_sheet" as source_sheet,
        cast("_row" as integer) as source_row

    from source

)

select * from renamed
