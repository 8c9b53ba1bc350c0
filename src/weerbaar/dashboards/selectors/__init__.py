"""Read models of the dashboards and their own screens (mayor consultations, capacity)."""
