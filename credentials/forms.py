from django import forms

from .models import EuropassMobility
from .services import TEXTS


class EuropassTextsForm(forms.ModelForm):
    class Meta:
        model = EuropassMobility
        fields = TEXTS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in TEXTS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("activities", "job_skills"):
            self.fields[name].widget.attrs["rows"] = 7
