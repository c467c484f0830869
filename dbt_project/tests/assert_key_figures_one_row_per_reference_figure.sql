-- key_figures has exactly one row for every row of ref_key_figures (contract §10), and no other.
with

reference as (

    select figure_id, count(*) as reference_rows
    from {{ ref('ref_key_figures') }}
    group by figure_id

),

computed as (

    select figure_id, count(*) as computed_rows
    from {{ ref('key_figures') }}
    group by figure_id

)

select
    coalesce(reference.figure_id, computed.figure_id) as figure_id,
    coalesce(reference.reference_rows, 0) as reference_rows,
    coalesce(computed.computed_rows, 0) as computed_rows

from reference
full outer join computed on reference.figure_id = computed.figure_id
where coalesce(reference.reference_rows, 0) <> 1
    or coalesce(computed.computed_rows, 0) <> 1
