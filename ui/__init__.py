"""The Streamlit page (``streamlit run ui/app.py``)."""
