with

source as (

    select * from {{ source('landing', 'rejects') }}

),

renamed as (

    select
        "file" as source_file,
        "sheet" as source_sheet,
        cast("row" as integer) as source_row,
        "column" as column_name,
        "value" as cell_value,
        "reason" as reason

    from source

)

select * from renamed
