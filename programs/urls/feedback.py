"""URLs of training evaluation (Kirkpatrick): questionnaires, follow-ups, learning results, program evaluation."""

from django.urls import path

from programs.views import feedback as views

urlpatterns = [
    path("feedback/", views.my_feedback, name="my_feedback"),
    path("feedback/questionnaire/<int:pk>/", views.reaction_answer, name="reaction_answer"),
    path("feedback/follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("feedback/follow-ups/<int:pk>/", views.transfer_answer, name="transfer_answer"),
    path("feedback/programs/", views.evaluation_index, name="evaluation_index"),
    path("feedback/programs/<int:pk>/", views.program_evaluation, name="program_evaluation"),
    path("sessions/<int:pk>/learning-results/", views.learning_results, name="learning_results"),
]
