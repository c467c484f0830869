with

source as (

    select * from {{ source('landing', 'files') }}

),

renamed as (

    select
        "file" as source_file,
        "sheet" as source_sheet,
        "table_name" as table_name,
        "encoding" as encoding,
        cast("snapshot_date" as date) as snapshot_date,
        cast("rows_read" as integer) as rows_read,
        cast("rows_loaded" as integer) as rows_loaded,
        cast("rows_rejected" as integer) as rows_rejected

    from source

)

select * from renamed
