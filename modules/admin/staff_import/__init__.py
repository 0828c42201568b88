"""Staff import from CSV, in the browser and on the command line.

One job per module: ``reading`` turns the uploaded bytes into rows, ``rows`` checks each row on
its own, ``planning`` checks the rows against the database and works out what would change,
``applying`` writes a plan that has no problems, ``invitation_mail`` mails the invitations after
the commit, ``uploads`` keeps a file server-side between preview and confirm, and ``views`` and
``cli`` are the two ways in. Nothing here commits: the view or the command does, once.
"""
