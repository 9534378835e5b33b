// placeholder: the widget is built in issue 3
