from django.urls import URLPattern, URLResolver, path

from hamkor.booking.views import staff

app_name = "booking"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.availability, name="availability"),
    path("hours/", staff.save_hours, name="save_hours"),
    path("days-off/", staff.add_days_off, name="add_days_off"),
    path("days-off/<int:pk>/delete/", staff.delete_day_off, name="delete_day_off"),
    path("pages/new/", staff.page_new, name="page_new"),
    path("pages/<int:pk>/", staff.page_edit, name="page_edit"),
    path("staff/<int:user_id>/", staff.availability, name="availability_for"),
    path("staff/<int:user_id>/hours/", staff.save_hours, name="save_hours_for"),
    path("staff/<int:user_id>/days-off/", staff.add_days_off, name="add_days_off_for"),
    path("staff/<int:user_id>/pages/new/", staff.page_new, name="page_new_for"),
    path("bookings/", staff.booking_list, name="booking_list"),
    path("bookings/<int:pk>/cancel/", staff.booking_cancel, name="booking_cancel"),
]
