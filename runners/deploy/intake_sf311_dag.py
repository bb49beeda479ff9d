"""Intake from Airflow: an incremental run of sf311 every hour, as a BashOperator running the jar.

The worker needs Java 17 and the jar (mvn -B -q package -DskipTests) at /opt/intake/intake.jar.
max_active_runs=1 keeps runs of the DAG from overlapping (Intake's own dataset lock would refuse
an overlapping run anyway, as a failure). A failed run (exit 1) changed nothing and an incomplete
commit (exit 3) is completed by the next run, so both are retried; bad usage (exit 2) is not worth
retrying, but BashOperator treats every non-zero exit alike. The secrets come from the worker's
environment (e.g. an Airflow connection or a secrets backend exporting them); options only name
the variables.
"""

from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

INTAKE = (
    "java -Xmx4g -jar /opt/intake/intake.jar run"
    " --dataset=sf311"
    " --mode=incremental"
    " --lakePath=/data/lake"
    " --jdbcUrl=jdbc:postgresql://postgres:5432/intake"
    " --jdbcUser=intake"
    " --jdbcPasswordEnv=INTAKE_DB_PASSWORD"
    " --progressInterval=60s"
)

with DAG(
    dag_id="intake_sf311",
    schedule="15 * * * *",
    start_date=datetime(2026, 12, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["intake"],
) as dag:
    BashOperator(
        task_id="intake_run",
        bash_command=INTAKE,
        append_env=True,
        execution_timeout=timedelta(hours=1),
    )
