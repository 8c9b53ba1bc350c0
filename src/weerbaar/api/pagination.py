from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_query_param = "pagina"
    page_size_query_param = "paginaGrootte"
    max_page_size = 200
